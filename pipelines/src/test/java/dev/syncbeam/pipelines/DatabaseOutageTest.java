package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination goes away for 20 seconds in the middle of a run (stopped, then started again on
 * the same data and port, as a restart or failover looks to a client). The sink reconnects with
 * backoff and the run completes, or it fails cleanly: never left in progress, nothing swept. The
 * next run is exact either way.
 */
class DatabaseOutageTest {
  @TempDir Path dir;

  @Test
  void aDatabaseThatIsDownForTwentySecondsMidRunCostsNoRecordAndNoFalseDelete() throws Exception {
    try (RestartablePostgres pg = new RestartablePostgres(dir.resolve("pgdata"));
         SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(200)
        .withPageSize(10))) {
      PostgresDestination dest = pg.destination();
      SyncDefinition contacts = new SyncDefinition(new SyncKey("app", "hubspot", "acme", "contacts"), null,
          ObjectTables.standardTableName("hubspot", "contacts"), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
          .withApi(SandboxSources.of(crm.credentials("acme", "hubspot"), 8, 50));
      SyncJob job = new SyncJob(dest, System.out);
      assertTrue(job.run(List.of(contacts), false, SyncHarness.CHECKED_DIRECT).allSucceeded());

      // the provider changes: some records deleted, so a full refresh has something to sweep
      List<String> gone = crm.dataset().liveIds("acme", "hubspot", "contacts").subList(0, 5);
      gone.forEach(id -> crm.dataset().delete("acme", "hubspot", "contacts", id));
      crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(150)).withProbability(1.0, 3, Fault.SLOW);
      CompletableFuture<SyncJob.Result> running = CompletableFuture.supplyAsync(() -> {
        try {
          return job.run(List.of(contacts), true, SyncHarness.CHECKED_DIRECT);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(3000); // some pages in
      pg.stop();
      System.out.println("destination stopped");
      Thread.sleep(20_000);
      pg.start();
      System.out.println("destination started again");
      SyncJob.Result result = running.get(5, TimeUnit.MINUTES);

      String status = scalar(dest, "SELECT status FROM supaglue._syncbeam_sync_runs WHERE run_id = " + result.runIds().get(0));
      assertNotEquals("IN_PROGRESS", status);
      long falselyDeleted = Long.parseLong(scalar(dest, "SELECT count(*) FROM supaglue.hubspot_contacts"
          + " WHERE _supaglue_is_deleted AND NOT (_supaglue_raw_data->>'archived')::boolean AND _supaglue_id NOT IN ('"
          + String.join("','", gone) + "')"));
      assertEquals(0, falselyDeleted, "no live record marked deleted");
      System.out.println("the run across the outage ended " + status);

      crm.faults("acme", "hubspot").clear();
      assertTrue(job.run(List.of(contacts), true, SyncHarness.CHECKED_DIRECT).allSucceeded());
      assertEquals(String.valueOf(crm.dataset().liveIds("acme", "hubspot", "contacts").size()),
          scalar(dest, "SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"));
      assertEquals(String.valueOf(crm.dataset().records("acme", "hubspot", "contacts").size()),
          scalar(dest, "SELECT count(*) FROM supaglue.hubspot_contacts"));
    }
  }

  private static String scalar(PostgresDestination dest, String sql) throws Exception {
    try (Connection c = dest.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
