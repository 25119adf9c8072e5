package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.DestinationContractTest.CliRun;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syncbeam stream} on the Direct runner in streaming mode, against the HubSpot emulator over
 * HTTP and the real PostgreSQL, with {@code period: 2s}: changes land within two periods, a forced
 * full refresh sweeps, runs that change nothing are summed up in a heartbeat, and a SIGTERM mid-run
 * leaves nothing in progress and nothing falsely deleted.
 */
class StreamTest {
  private static final Duration PERIOD = Duration.ofSeconds(2);
  @TempDir Path dir;
  SandboxServer crm;
  SyncHarness h;
  Path config;
  SandboxCredentials hs;

  @BeforeEach
  void setUp() throws Exception {
    crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(30).withPageSize(10));
    h = new SyncHarness("stream", dir, Duration.ofSeconds(20));
    hs = crm.credentials("acme", "hubspot");
    config = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + SyncHarness.APP + "\n"
        + "destination:\n  url: \"" + h.url + "\"\n  user: postgres\n  password: postgres\n"
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    standard_objects: [contacts]\n    period: 2s\n"
        + "    source:\n      api:\n        base_url: \"" + hs.baseUrl() + "\"\n        token: \"" + hs.accessToken() + "\"\n");
  }

  @AfterEach
  void tearDown() {
    crm.close();
  }

  /** A stream of the config in this JVM, stopped (as SIGTERM would) when the test is done with it. */
  private final class Stream implements AutoCloseable {
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final StreamJob job;
    final Thread thread;

    Stream() {
      this(Duration.ofSeconds(5));
    }

    Stream(Duration heartbeat) {
      job = new StreamJob(h.destination, new PrintStream(log, true), heartbeat);
      thread = start(job, config);
    }

    @Override
    public void close() throws Exception {
      job.stop(Duration.ofSeconds(10));
      thread.join(30_000);
    }
  }

  /** Runs the stream of the config on a thread of this JVM, on the checked Direct runner, until the job is stopped. */
  static Thread start(StreamJob job, Path config) {
    List<SyncDefinition> syncs = SyncDefinition.expand(ConfigLoader.fromEnvironment().load(config), List.of());
    Thread thread = new Thread(() -> {
      try {
        job.run(syncs, RunnerOptions.parse(SyncHarness.CHECKED_DIRECT));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "test-stream");
    thread.start();
    return thread;
  }

  private long count(String where) throws Exception {
    return h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE " + where);
  }

  /** Waits for the condition (a database not yet set up counts as not yet); other tests of a running process use it too. */
  static void await(String what, Duration within, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) return;
      } catch (java.sql.SQLException notYet) {
        // the tables appear with the first run
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " did not happen within " + within);
  }

  private void send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hs.baseUrl() + path)).header("Authorization", "Bearer " + hs.accessToken())
        .header("Content-Type", "application/json");
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    int status = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    assertTrue(status < 300, method + " " + path + ": " + status);
  }

  @Test
  void changesAndDeletesMadeAtTheProviderLandWithinTwoPeriods() throws Exception {
    List<String> ids = crm.dataset().liveIds("acme", "hubspot", "contacts");
    try (Stream s = new Stream()) {
      await("the first (full) run", Duration.ofSeconds(60), () -> count("NOT _supaglue_is_deleted") == ids.size());
      String changed = ids.get(0);
      String deleted = ids.get(1);
      send("PATCH", "/crm/v3/objects/contacts/" + changed, "{\"properties\":{\"firstname\":\"Streamed\"}}");
      send("DELETE", "/crm/v3/objects/contacts/" + deleted, null);
      long madeAt = System.nanoTime();
      await("the change and the delete", PERIOD.multipliedBy(2).plusSeconds(3), () ->
          count("_supaglue_id = '" + changed + "' AND _supaglue_raw_data->'properties'->>'firstname' = 'Streamed'") == 1
              && count("_supaglue_id = '" + deleted + "' AND _supaglue_is_deleted") == 1);
      System.out.printf("stream: change and delete landed %.1fs after they were made%n", (System.nanoTime() - madeAt) / 1e9);
      assertEquals(ids.size() - 1, count("NOT _supaglue_is_deleted"));
      assertEquals(ids.size(), count("true"), "no duplicate rows");
      String out = s.log.toString();
      assertTrue(out.contains("acme/hubspot/contacts"), out);
    }
    String runs = h.rows("SELECT run_id, strategy, status, error FROM supaglue._syncbeam_sync_runs ORDER BY run_id").toString();
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'"), runs);
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status <> 'SUCCESS'"), runs);
    assertTrue(h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'SUCCESS' AND strategy = 'incremental'") >= 1, runs);
  }

  @Test
  void whileNothingChangesTheStreamPrintsAHeartbeatInsteadOfARunLine() throws Exception {
    List<String> ids = crm.dataset().liveIds("acme", "hubspot", "contacts");
    try (Stream s = new Stream(Duration.ofSeconds(1))) {
      await("the first (full) run", Duration.ofSeconds(60), () -> count("NOT _supaglue_is_deleted") == ids.size());
      Pattern beat = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d heartbeat: up to date, [1-9]\\d* run\\(s\\) with no changes since \\d\\d:\\d\\d:\\d\\d$");
      try {
        await("a heartbeat counting the runs that changed nothing", Duration.ofSeconds(20), () -> beat.matcher(s.log.toString()).find());
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the stream printed:\n" + s.log, e);
      }
      String out = s.log.toString();
      assertEquals(1, out.lines().filter(l -> l.contains("acme/hubspot/contacts")).count(), "only the run that changed something has a line:\n" + out);
      assertTrue(h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'SUCCESS' AND strategy = 'incremental'") >= 1, out);
    }
  }

  @Test
  void aRequestedFullRefreshMarksWhatTheProviderNoLongerHasDeleted() throws Exception {
    List<String> ids = crm.dataset().liveIds("acme", "hubspot", "contacts");
    try (Stream s = new Stream()) {
      await("the first (full) run", Duration.ofSeconds(60), () -> count("NOT _supaglue_is_deleted") == ids.size());
      // a row the provider does not have (deleted there without a trace): only a full refresh can tell
      h.rows("INSERT INTO supaglue.hubspot_contacts SELECT _supaglue_application_id, _supaglue_provider_name, _supaglue_customer_id,"
          + " 'gone-1', _supaglue_emitted_at, _supaglue_last_modified_at, false, _supaglue_raw_data, _supaglue_mapped_data"
          + " FROM supaglue.hubspot_contacts LIMIT 1 RETURNING 1");
      // an overlapping `sync --full-refresh` skips (the stream holds the sync) but its request stands
      CliRun sync = CliRun.of("sync", "--config", config.toString(), "--full-refresh");
      assertEquals(0, sync.status(), sync.out() + sync.err());
      assertTrue(sync.out().matches("(?s).*acme/hubspot/contacts is being synced by another run \\(run \\d+, started \\d\\d:\\d\\d:\\d\\d\\); skipped.*")
          || sync.out().contains("acme/hubspot/contacts is being synced by another run (starting); skipped"), sync.out());
      await("the full refresh's sweep", PERIOD.multipliedBy(2).plusSeconds(3), () -> count("_supaglue_id = 'gone-1' AND _supaglue_is_deleted") == 1);
      assertEquals(ids.size(), count("NOT _supaglue_is_deleted"), "every live record stays");
      CliRun status = CliRun.of("status", "--config", config.toString());
      assertTrue(status.out().contains("served by stream"), status.out());
    }
  }

  @Test
  void sigtermMidRunLeavesNoRunInProgressAndNoFalseDelete() throws Exception {
    CliRun first = CliRun.of("sync", "--config", config.toString());
    assertEquals(0, first.status(), first.out() + first.err());
    Files.writeString(config, Files.readString(config).replace("period: 2s", "period: 2s\n    strategy: full_only"));
    // slow enough that the run is still reading when SIGTERM lands, however loaded the machine
    crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(1500)).withProbability(1.0, 40, Fault.SLOW);
    Path log = dir.resolve("stream.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "dev.syncbeam.pipelines.cli.SyncbeamCli",
        "stream", "--config", config.toString(), "--drain-seconds", "1"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await("a stream run in progress", Duration.ofSeconds(60), () -> {
        assertTrue(p.isAlive(), Files.readString(log));
        return h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'") == 1;
      });
      Thread.sleep(1500); // a few slow pages into the read
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the stopped stream exits");
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'"), out);
    assertEquals(1, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE error = ?", SyncJob.STOPPED), out);
    assertEquals(0, count("_supaglue_is_deleted AND NOT (_supaglue_raw_data->>'archived')::boolean"), "no live record marked deleted");
  }
}
