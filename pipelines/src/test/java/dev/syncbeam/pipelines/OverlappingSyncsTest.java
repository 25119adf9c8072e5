package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled `sync` runs that overlap (cron, a CronJob, Airflow): two processes started together on
 * one config run each sync exactly once; the other says so in one line and exits 0; `--wait` waits.
 */
class OverlappingSyncsTest {
  private static final Pattern SKIP = Pattern.compile(
      "acme/hubspot/(\\w+) is being synced by another run \\((run \\d+, started \\d\\d:\\d\\d:\\d\\d|starting)\\); skipped");
  @TempDir Path dir;
  SandboxServer crm;
  SyncHarness h;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(40).withPageSize(10));
    h = new SyncHarness("overlap", dir);
    SandboxCredentials hs = crm.credentials("acme", "hubspot");
    config = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + SyncHarness.APP + "\n"
        + "destination:\n  url: \"" + h.url + "\"\n  user: postgres\n  password: postgres\n"
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    standard_objects: [contacts, companies]\n"
        + "    source:\n      api:\n        base_url: \"" + hs.baseUrl() + "\"\n        token: \"" + hs.accessToken() + "\"\n");
    // slow pages: the first process still holds its syncs when the second one looks
    crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(300)).withProbability(1.0, 7, Fault.SLOW);
  }

  @AfterEach
  void tearDown() {
    crm.close();
  }

  private Process sync(Path log, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path"), "dev.syncbeam.pipelines.cli.SyncbeamCli", "sync", "--config", config.toString()));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void twoSyncsStartedTogetherRunEachSyncOnceAndTheOtherSkips() throws Exception {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    Process pa = sync(a);
    Process pb = sync(b);
    assertTrue(pa.waitFor(120, TimeUnit.SECONDS) && pb.waitFor(120, TimeUnit.SECONDS), "both syncs end");
    String out = Files.readString(a) + "\n----\n" + Files.readString(b);
    assertEquals(0, pa.exitValue(), out);
    assertEquals(0, pb.exitValue(), out);
    List<String> skipped = new ArrayList<>();
    Matcher m = SKIP.matcher(out);
    while (m.find()) skipped.add(m.group(1));
    assertEquals(2, skipped.size(), "each sync is skipped by exactly one of the two:\n" + out);
    assertEquals(2, skipped.stream().distinct().count(), out);
    for (String object : List.of("contacts", "companies")) {
      assertEquals(1, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE object_name = ?", object), out);
      assertEquals(crm.dataset().liveIds("acme", "hubspot", object).size(),
          h.count("SELECT count(*) FROM supaglue.hubspot_" + object + " WHERE NOT _supaglue_is_deleted"), "no duplicate rows");
    }
  }

  @Test
  void waitWaitsForTheRunningSyncAndWatermarksOnlyMoveForward() throws Exception {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    Process pa = sync(a, "--only", "acme/hubspot/contacts");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (h.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0 && System.nanoTime() < deadline) Thread.sleep(50);
    Process pb = sync(b, "--only", "acme/hubspot/contacts", "--wait");
    assertTrue(pa.waitFor(120, TimeUnit.SECONDS) && pb.waitFor(120, TimeUnit.SECONDS), "both syncs end");
    String out = Files.readString(a) + "\n----\n" + Files.readString(b);
    assertEquals(0, pa.exitValue(), out);
    assertEquals(0, pb.exitValue(), out);
    assertTrue(Files.readString(b).contains("; waiting for it"), out);
    List<Map<String, Object>> runs = h.rows("SELECT status, watermark_after FROM supaglue._syncbeam_sync_runs ORDER BY run_id");
    assertEquals(2, runs.size(), out);
    for (Map<String, Object> r : runs) assertEquals("SUCCESS", r.get("status"), out);
    java.sql.Timestamp first = (java.sql.Timestamp) runs.get(0).get("watermark_after");
    java.sql.Timestamp second = (java.sql.Timestamp) runs.get(1).get("watermark_after");
    assertTrue(!second.before(first), "watermark never moves back: " + first + " then " + second);
    assertEquals(crm.dataset().liveIds("acme", "hubspot", "contacts").size(),
        h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"));
  }

  @Test
  void periodIsReadPerSyncAndABadOneNamesItsKey() throws Exception {
    Path f = dir.resolve("p.yaml");
    String base = Files.readString(config);
    Files.writeString(f, base.replace("    source:", "    period: 30s\n    source:"));
    SyncbeamConfig cfg = ConfigLoader.fromEnvironment().load(f);
    assertEquals(Duration.ofSeconds(30), cfg.syncs().get(0).period());
    Files.writeString(f, base);
    assertEquals(Duration.ofMinutes(15), ConfigLoader.fromEnvironment().load(f).syncs().get(0).period());
    for (String ok : List.of("5m", "1h")) {
      Files.writeString(f, base.replace("    source:", "    period: " + ok + "\n    source:"));
      ConfigLoader.fromEnvironment().load(f);
    }
    Files.writeString(f, base.replace("    source:", "    period: 5 minutes\n    source:"));
    ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment().load(f));
    assertTrue(bad.getMessage().contains("syncs[0].period"), bad.getMessage());
  }
}
