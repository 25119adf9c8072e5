package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.DestinationContractTest.CliRun;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.transforms.run.RunLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `syncbeam sync` process that is killed (kill -9) or stopped (SIGTERM, as `timeout` or a
 * scheduler sends) never leaves a run IN_PROGRESS for `status` to show, and never marks anything
 * deleted. The sync runs in a real child JVM against the real database and the emulators.
 */
class StoppedRunsTest {
  @TempDir Path dir;
  SandboxServer crm;
  SyncHarness h;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(60).withPageSize(5));
    h = new SyncHarness("stopped", dir);
    SandboxCredentials hs = crm.credentials("acme", "hubspot");
    config = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + SyncHarness.APP + "\n"
        + "destination:\n  url: \"" + h.url + "\"\n  user: postgres\n  password: postgres\n"
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    standard_objects: [contacts]\n"
        + "    source:\n      api:\n        base_url: \"" + hs.baseUrl() + "\"\n        token: \"" + hs.accessToken() + "\"\n");
    CliRun first = CliRun.of("sync", "--config", config.toString());
    assertEquals(0, first.status(), first.out() + first.err());
    // from now on every request is slow: a full refresh takes many seconds, time enough to stop it midway
    crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(400)).withProbability(1.0, 7, Fault.SLOW);
  }

  @AfterEach
  void tearDown() {
    crm.close();
  }

  private Process startSync(Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.syncbeam.pipelines.cli.SyncbeamCli",
        "sync", "--config", config.toString(), "--full-refresh"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the child has opened its run and written part of it. */
  private long awaitRunInProgress(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), "the sync ended before it could be stopped:\n" + Files.readString(log));
      List<Map<String, Object>> running = h.rows("SELECT run_id FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'");
      if (!running.isEmpty() && Files.readString(log).contains("syncing 1 object")) {
        Thread.sleep(2000); // a few slow pages into the read
        return (Long) running.get(0).get("run_id");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the child never started its run:\n" + Files.readString(log));
  }

  @Test
  void aKilledSyncsRunIsRecordedAbandonedByTheNextStatusAndNothingIsDeleted() throws Exception {
    Path log = dir.resolve("child.log");
    Process p = startSync(log);
    long run = awaitRunInProgress(p, log);
    p.destroyForcibly(); // SIGKILL: no hook, no cleanup, the connection just drops
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));

    CliRun status = CliRun.of("status", "--config", config.toString());
    assertEquals(0, status.status(), status.err());
    assertTrue(status.out().contains("run " + run + " was left in progress by a process that stopped: recorded as abandoned"), status.out());
    Map<String, Object> row = h.rows("SELECT status, error FROM supaglue._syncbeam_sync_runs WHERE run_id = ?", run).get(0);
    assertEquals("FAILURE", row.get("status"));
    assertEquals(RunLedger.ABANDONED, row.get("error"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted AND NOT (_supaglue_raw_data->>'archived')::boolean"),
        "no live record marked deleted");
  }

  @Test
  void aSyncStoppedBySigtermRecordsItsRunStoppedBeforeItExits() throws Exception {
    Path log = dir.resolve("child.log");
    Process p = startSync(log);
    long run = awaitRunInProgress(p, log);
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the stopped sync exits");

    Map<String, Object> row = h.rows("SELECT status, error FROM supaglue._syncbeam_sync_runs WHERE run_id = ?", run).get(0);
    assertEquals("FAILURE", row.get("status"), Files.readString(log));
    assertEquals(SyncJob.STOPPED, row.get("error"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted AND NOT (_supaglue_raw_data->>'archived')::boolean"),
        "no live record marked deleted");
    CliRun status = CliRun.of("status", "--config", config.toString());
    assertFalse(status.out().contains("IN_PROGRESS"), status.out());

    // and the next run, in this process, is exact again
    crm.faults("acme", "hubspot").clear();
    CliRun again = CliRun.of("sync", "--config", config.toString(), "--full-refresh");
    assertEquals(0, again.status(), again.out() + again.err());
    assertEquals(crm.dataset().liveIds("acme", "hubspot", "contacts").size(),
        h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"));
  }
}
