package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.RequestStats;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three customers synced at once against emulators that enforce the providers' real limits: with
 * 5-record pages each HubSpot portal and Pipedrive token needs more requests than one window
 * allows, so the readers must pace themselves; every record must land, and no refused request may
 * be lost or retried before the provider said it could be.
 */
class RateLimitedSandboxSyncTest {
  static final List<String> CUSTOMERS = List.of("acme", "globex", "initech");
  static final Map<String, List<String>> OBJECTS = Map.of(
      "salesforce", List.of("Account", "Contact", "Opportunity"),
      "hubspot", List.of("companies", "contacts", "deals"),
      "pipedrive", List.of("persons", "organizations", "deals"));
  static final int RECORDS = 250;

  @Test
  void threeCustomersInParallelLandEveryPageWithinTheLimits(@TempDir Path root) throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withCustomers(CUSTOMERS).withRecordsPerObject(RECORDS).withPageSize(5)
        .withRateLimits(RateLimits.real());
    try (SandboxServer server = SandboxServer.start(config)) {
      List<SyncDefinition> syncs = new ArrayList<>();
      for (String customer : CUSTOMERS) {
        for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
          ApiSource api = SandboxSources.of(server.credentials(customer, provider), ApiSource.DEFAULT_MAX_ATTEMPTS, 50);
          for (String object : OBJECTS.get(provider)) {
            syncs.add(new SyncDefinition(new SyncKey(SyncHarness.APP, provider, customer, object), null,
                ObjectTables.standardTableName(provider, object), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0).withApi(api));
          }
        }
      }
      SyncHarness h = new SyncHarness("rate_limited", root);
      assertTrue(h.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());

      for (SyncDefinition s : syncs) {
        String customer = s.key().customerId(), provider = s.key().provider(), object = s.key().object();
        long live = server.dataset().count(customer, provider, object, Deletion.LIVE);
        assertEquals(live, h.count("SELECT count(*) FROM supaglue." + s.rawTable() + " WHERE _supaglue_customer_id = ?"
            + " AND NOT _supaglue_is_deleted", customer), s.key().label());
      }
      for (String customer : CUSTOMERS) {
        for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
          RequestStats stats = server.stats(customer, provider);
          System.out.printf("%s/%s: %d requests, %d over the limit%n", customer, provider, stats.totalRequests(), stats.rateLimited());
          assertEquals(0, stats.rateLimitedNotRetried(), customer + "/" + provider + ": a refused request was never asked again");
          assertEquals(0, stats.retriedTooEarly(), customer + "/" + provider + ": asked again before the announced reset");
        }
        // the limits were in play: more requests than one window allows
        assertTrue(server.stats(customer, "hubspot").totalRequests() > 100);
        assertTrue(server.stats(customer, "pipedrive").totalRequests() > 80);
      }
    }
  }
}
