package dev.syncbeam.pipelines.bench;

import dev.syncbeam.pipelines.SandboxSources;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.sandbox.EmbeddedPostgresServer;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.RequestStats;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code syncbeam bench --api}: one full SyncBeam sync of C customers x three objects of each
 * provider, read over HTTP from the sandbox emulators with the providers' real rate limits on,
 * into a temporary embedded PostgreSQL. Row counts are checked against the emulators; the time is
 * set against the floor the rate limits impose, so the ratio says how much of the limit the
 * readers use.
 */
public final class ApiBenchmark {
  static final String APP = "bench";
  static final Map<String, List<String>> OBJECTS = Map.of(
      "salesforce", List.of("Contact", "Account", "Opportunity"),
      "hubspot", List.of("contacts", "companies", "deals"),
      "pipedrive", List.of("persons", "organizations", "deals"));
  static final List<String> PROVIDERS = List.of("salesforce", "hubspot", "pipedrive");
  /** Records per request the readers ask for (HubSpot lists and Pipedrive v1 pages: 100 each). */
  static final Map<String, Integer> PAGE_SIZE = Map.of("hubspot", 100, "pipedrive", 100);
  /**
   * Fewer workers than read tasks leave none for the writes while reads wait on the limits; at 10
   * customers 64 still run the embedded Postgres out of its 100 connections once the sync is done.
   */
  static final int MAX_WORKERS = 64;

  private final int records;
  private final int customers;
  private final PrintStream out;

  public ApiBenchmark(int records, int customers, PrintStream out) {
    this.records = records;
    this.customers = customers;
    this.out = out;
  }

  public void run() throws Exception {
    RateLimits limits = RateLimits.real();
    SandboxConfig config = SandboxConfig.defaults().withCustomers(customers).withRecordsPerObject(records).withRateLimits(limits);
    try (SandboxServer crm = SandboxServer.start(config); EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
      PostgresDestination dest = PostgresDestination.of(pg.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER,
          EmbeddedPostgresServer.SUPERUSER, "supaglue");
      List<SyncDefinition> syncs = syncs(crm);
      out.printf("api bench: %d customers x %,d records per object x 9 objects, rate limits real, %d syncs%n", customers, records, syncs.size());
      // read tasks mostly wait on the providers' limits: a worker per sync lets every account read at once, up to
      // what the embedded Postgres accepts in connections (each worker writes on its own)
      String[] beamArgs = {"--targetParallelism=" + Math.min(MAX_WORKERS, Math.max(4, syncs.size() + 2))};
      long t0 = System.nanoTime();
      SyncJob.Result result = new SyncJob(dest, out).run(syncs, false, beamArgs);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!result.allSucceeded()) throw new IllegalStateException("api benchmark: the sync run failed");

      long landed = check(crm, dest, syncs);
      double floor = rateLimitFloorSeconds(crm, limits);
      long tooMany = 0, notRetried = 0, early = 0, requests = 0;
      for (String customer : config.customers()) {
        for (String provider : PROVIDERS) {
          RequestStats s = crm.stats(customer, provider);
          tooMany += s.rateLimited();
          notRetried += s.rateLimitedNotRetried();
          early += s.retriedTooEarly();
          requests += s.totalRequests();
        }
      }
      out.printf("api.records %d%n", landed);
      out.printf("api.requests %d%n", requests);
      out.printf("api.seconds %.1f%n", seconds);
      out.printf("api.records_per_s %.0f%n", landed / seconds);
      out.printf("api.rate_limit_floor_s %.1f%n", floor);
      out.printf("ratio.api_vs_rate_limit_floor %.2f%n", floor / seconds);
      out.printf("api.over_limit_answers %d%n", tooMany);
      out.printf("api.over_limit_not_retried %d%n", notRetried);
      out.printf("api.retried_before_reset %d%n", early);
      out.printf("max_heap_mb %.0f%n", Runtime.getRuntime().maxMemory() / 1048576.0);
    }
  }

  private List<SyncDefinition> syncs(SandboxServer crm) {
    List<SyncDefinition> out = new ArrayList<>();
    for (var c : crm.credentials()) {
      ApiSource api = SandboxSources.of(c, ApiSource.DEFAULT_MAX_ATTEMPTS, ApiSource.DEFAULT_BACKOFF_MILLIS);
      for (String object : OBJECTS.get(c.provider())) {
        out.add(new SyncDefinition(new SyncKey(APP, c.provider(), c.customer(), object), null,
            ObjectTables.standardTableName(c.provider(), object), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0).withApi(api));
      }
    }
    return out;
  }

  /**
   * Every sync's live rows must equal the emulator's live records, and its deleted rows the
   * deleted records the reader sees (Salesforce queryAll and HubSpot's archived lists carry them;
   * Pipedrive lists only live items). Returns the rows landed.
   */
  private long check(SandboxServer crm, PostgresDestination dest, List<SyncDefinition> syncs) throws Exception {
    long landed = 0;
    try (Connection c = dest.open()) {
      for (SyncDefinition s : syncs) {
        String customer = s.key().customerId(), provider = s.key().provider(), object = s.key().object();
        long live = crm.dataset().count(customer, provider, object, Deletion.LIVE);
        long deleted = provider.equals("pipedrive") ? 0 : crm.dataset().count(customer, provider, object, Deletion.DELETED);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE NOT _supaglue_is_deleted), count(*) FILTER (WHERE"
            + " _supaglue_is_deleted) FROM supaglue." + s.rawTable() + " WHERE _supaglue_customer_id = ?")) {
          ps.setString(1, customer);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != live || rs.getLong(2) != deleted) {
              throw new IllegalStateException("api benchmark check failed: " + s.key().label() + " has " + rs.getLong(1) + " live and "
                  + rs.getLong(2) + " deleted rows; the emulator has " + live + " and " + deleted);
            }
            landed += live + deleted;
          }
        }
      }
      c.commit();
    }
    return landed;
  }

  /**
   * The least time the rate limits allow for this read: for each customer and provider, the
   * records the readers fetch from it divided by records per request (the readers' page size)
   * divided by the requests per second the limit allows (HubSpot 100 per 10 s = 10/s, Pipedrive
   * 80 per 2 s = 40/s; Salesforce's limit is on concurrent long requests, not a rate, so its
   * floor is 0). Customers have limits of their own and the providers are read at the same time,
   * so the floor is the largest of these, not their sum. Metadata requests are left out.
   */
  private double rateLimitFloorSeconds(SandboxServer crm, RateLimits limits) {
    Map<String, Double> requestsPerSecond = new LinkedHashMap<>();
    requestsPerSecond.put("hubspot", limits.hubspotPerTenSeconds() / 10.0);
    requestsPerSecond.put("pipedrive", limits.pipedrivePerTwoSeconds() / 2.0);
    double floor = 0;
    for (String customer : crm.credentials().stream().map(c -> c.customer()).distinct().toList()) {
      for (var e : requestsPerSecond.entrySet()) {
        String provider = e.getKey();
        double fetched = 0;
        for (String object : OBJECTS.get(provider)) {
          fetched += crm.dataset().count(customer, provider, object, provider.equals("pipedrive") ? Deletion.LIVE : Deletion.ANY);
        }
        floor = Math.max(floor, fetched / PAGE_SIZE.get(provider) / e.getValue());
      }
    }
    return floor;
  }
}
