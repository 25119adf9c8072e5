package dev.syncbeam.pipelines.bench;

import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.sandbox.BenchmarkExtracts;
import dev.syncbeam.sandbox.EmbeddedPostgresServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code syncbeam bench --tenants T}: T customers x 3 HubSpot objects x 100 records, all in one
 * pipeline run (3T syncs), from extract files into one embedded PostgreSQL. Prints the wall time,
 * the most destination connections open at once (sampled from {@code pg_stat_activity}) and the
 * time per sync; every table's row count is checked.
 */
public final class TenantBenchmark {
  private static final List<String> OBJECTS = List.of("contacts", "companies", "deals");
  private static final int RECORDS = 100;
  private final int tenants;
  private final Path work;
  private final PrintStream out;

  public TenantBenchmark(int tenants, Path work, PrintStream out) {
    this.tenants = tenants;
    this.work = work;
    this.out = out;
  }

  public void run() throws Exception {
    List<SyncDefinition> syncs = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      String customer = "tenant" + t;
      Path root = work.resolve(customer);
      for (String object : OBJECTS) {
        BenchmarkExtracts.write(root.resolve(object), RECORDS, i -> 0);
        syncs.add(new SyncDefinition(new SyncKey("bench", "hubspot", customer, object), root.toString(),
            ObjectTables.standardTableName("hubspot", object), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0));
      }
    }
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
      PostgresDestination dest = PostgresDestination.of(pg.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER,
          EmbeddedPostgresServer.SUPERUSER, "supaglue");
      AtomicLong peak = new AtomicLong();
      Thread sampler = new Thread(() -> sampleConnections(dest, peak), "connection-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      SyncJob.Result result = new SyncJob(dest, out).run(syncs, false, new String[0]);
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      if (!result.allSucceeded()) throw new IllegalStateException("tenant benchmark: a sync failed");
      try (Connection c = dest.open(); Statement st = c.createStatement()) {
        for (String object : OBJECTS) {
          try (ResultSet rs = st.executeQuery("SELECT count(*) FROM supaglue." + ObjectTables.standardTableName("hubspot", object))) {
            rs.next();
            if (rs.getLong(1) != (long) tenants * RECORDS) {
              throw new IllegalStateException("tenant benchmark check failed: " + object + " has " + rs.getLong(1) + " rows");
            }
          }
        }
      }
      out.printf("tenants.syncs %d  (%d tenants x %d objects x %d records)%n", syncs.size(), tenants, OBJECTS.size(), RECORDS);
      out.printf("tenants.wall_s %.1f%n", seconds);
      out.printf("tenants.max_destination_connections %d%n", peak.get());
      out.printf("tenants.per_sync_ms %.1f%n", seconds * 1000 / syncs.size());
    }
  }

  /** Client connections to the destination, every 100 ms, from a connection of its own (counted out). */
  private static void sampleConnections(PostgresDestination dest, AtomicLong peak) {
    try (Connection c = dest.open()) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        while (!Thread.currentThread().isInterrupted()) {
          try (ResultSet rs = st.executeQuery("SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
            rs.next();
            peak.accumulateAndGet(rs.getLong(1), Math::max);
          }
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the sampler only reports; the benchmark itself goes on
    }
  }
}
