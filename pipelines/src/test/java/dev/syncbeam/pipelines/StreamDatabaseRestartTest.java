package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import dev.syncbeam.transforms.run.SyncLocks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination restarts (stopped, then started again on the same data and port) while a stream's
 * run is reading: that run ends, succeeded or failed, never left in progress and sweeping nothing;
 * the stream goes on, takes its sync's lock again, and the next runs land changes exactly once.
 */
class StreamDatabaseRestartTest {
  private static final String CONTACTS = "supaglue.hubspot_contacts";
  private static final Duration OUTAGE = Duration.ofSeconds(4);
  @TempDir Path dir;

  @Test
  void aDatabaseRestartMidRunEndsThatRunCleanlyAndTheStreamGoesOn() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (RestartablePostgres pg = new RestartablePostgres(dir.resolve("pgdata"));
         SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(30)
        .withPageSize(10))) {
      PostgresDestination dest = pg.destination();
      SyncKey key = new SyncKey("app", "hubspot", "acme", "contacts");
      SyncDefinition contacts = new SyncDefinition(key, null, ObjectTables.standardTableName("hubspot", "contacts"), null,
          RunModePolicy.FULL_THEN_INCREMENTAL, 0).withApi(SandboxSources.of(crm.credentials("acme", "hubspot"), 8, 50))
          .withPeriod(Duration.ofSeconds(2));
      List<String> live = crm.dataset().liveIds("acme", "hubspot", "contacts");
      StreamJob job = new StreamJob(dest, new PrintStream(log, true), Duration.ofSeconds(5));
      List<String> args = new ArrayList<>(List.of(SyncHarness.CHECKED_DIRECT));
      // longer than the outage: writers and FinishRun reconnect rather than fail the pipeline
      args.add("--reconnectWindowSeconds=30");
      Thread stream = new Thread(() -> {
        try {
          job.run(List.of(contacts), RunnerOptions.parse(args.toArray(String[]::new)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "test-stream");
      stream.start();
      long outageRun;
      Instant stoppedAt;
      try {
        await("the first (full) run", Duration.ofSeconds(60), () -> count(dest, "NOT _supaglue_is_deleted") == live.size()
            && scalar(dest, "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'SUCCESS'") >= 1);
        long before = scalar(dest, "SELECT coalesce(max(run_id), 0) FROM supaglue._syncbeam_sync_runs");
        // slow pages, so the database goes away while a run is still reading
        crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(1500)).withProbability(1.0, 40, Fault.SLOW);
        await("a run in progress with slow pages", Duration.ofSeconds(30), () -> scalar(dest,
            "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS' AND run_id > " + before) == 1);
        outageRun = scalar(dest, "SELECT max(run_id) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'");
        stoppedAt = Instant.now();
        pg.stop();
        Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for something to happen
        pg.start();
        crm.faults("acme", "hubspot").clear();

        String changed = live.get(0);
        crm.dataset().renamePerson("acme", "hubspot", "contacts", changed, "Restarted");
        await("the change made after the restart", Duration.ofSeconds(60), () -> count(dest, "_supaglue_id = '" + changed
            + "' AND _supaglue_raw_data->'properties'->>'firstname' = 'Restarted'") == 1);
        await("a successful run after the one across the restart", Duration.ofSeconds(30), () -> scalar(dest,
            "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'SUCCESS' AND run_id > " + outageRun) >= 1);
        // a restart ends the lock session: the stream must hold its sync again, or another process could start it
        await("the stream holding its sync again", Duration.ofSeconds(30), () -> {
          try (Connection c = dest.open()) {
            return StreamSyncPipeline.LOCK_HOLDER.equals(SyncLocks.holder(c, dest.schema(), key));
          }
        });
        assertTrue(stream.isAlive(), "the stream goes on after the restart\n" + log);
        assertFalse(log.toString().contains("the stream's pipeline ended"), log.toString());
      } finally {
        job.stop(Duration.ofSeconds(10));
        stream.join(30_000);
      }

      String runs = rows(dest, "SELECT run_id || ' ' || strategy || ' ' || status || ' ' || coalesce(error, '')"
          + " FROM supaglue._syncbeam_sync_runs ORDER BY run_id") + "\n" + log;
      assertEquals(0, scalar(dest, "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'"), runs);
      // or the restart did not happen mid-run, and this test proved nothing
      assertEquals(1, scalar(dest, "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE run_id = " + outageRun
          + " AND ended_at > '" + stoppedAt + "'::timestamptz"), "the run across the restart ended after it: " + runs);
      assertEquals(0, scalar(dest, "SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE run_id > " + outageRun
          + " AND status <> 'SUCCESS' AND error IS DISTINCT FROM '" + SyncJob.STOPPED + "'"), "runs after the restart succeed: " + runs);
      assertEquals(0, count(dest, "_supaglue_is_deleted AND NOT (_supaglue_raw_data->>'archived')::boolean"), "no live record marked deleted");
      assertEquals(live.size(), count(dest, "NOT _supaglue_is_deleted"), runs);
      assertEquals(crm.dataset().records("acme", "hubspot", "contacts").size(), count(dest, "true"), "no duplicate rows");
      System.out.println("the run across the restart: " + rows(dest, "SELECT status || ' ' || coalesce(error, '')"
          + " FROM supaglue._syncbeam_sync_runs WHERE run_id = " + outageRun));
    }
  }

  private static void await(String what, Duration within, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) return;
      } catch (SQLException notYet) {
        // the tables appear with the first run; the database is away during the restart
      }
      Thread.sleep(200);
    }
    throw new AssertionError(what + " did not happen within " + within);
  }

  private static long count(PostgresDestination dest, String where) throws SQLException {
    return scalar(dest, "SELECT count(*) FROM " + CONTACTS + " WHERE " + where);
  }

  private static long scalar(PostgresDestination dest, String sql) throws SQLException {
    try (Connection c = dest.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> rows(PostgresDestination dest, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dest.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
