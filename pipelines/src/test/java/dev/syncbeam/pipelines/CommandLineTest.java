package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.hubspotContact;
import static dev.syncbeam.pipelines.Pages.hubspotPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.DestinationContractTest.CliRun;
import dev.syncbeam.pipelines.cli.SyncbeamCli;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real command line, in process: exit codes, help that needs nothing, options checked before the database. */
class CommandLineTest {
  private static final List<String> COMMANDS = List.of("demo", "sync", "status", "webhooks", "check", "sql", "bench", "sandbox", "serve");
  private static final List<String> WITH_CONFIG = List.of("sync", "status", "webhooks", "check", "sql");

  @TempDir Path dir;

  private Path config(String destinationUrl) throws Exception {
    return Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + SyncHarness.APP + "\n"
        + "destination: { url: \"" + destinationUrl + "\", user: postgres, password: postgres }\n"
        + "syncs:\n  - { customer_id: acme, provider: hubspot, source: { extract: ./ex }, standard_objects: [contacts] }\n");
  }

  @Test
  void anUnknownOptionExitsTwoNamingItBeforeAnyRunIsOpened() throws Exception {
    SyncHarness h = new SyncHarness("cli_bogus", dir.resolve("ex"));
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io")));
    Path config = config(h.url);

    for (String bad : new String[] {"--bogus=1", "--sinkBatchRows=0"}) {
      CliRun run = CliRun.of("sync", "--config", config.toString(), bad);
      assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, run.status(), run.out() + run.err());
      assertEquals(1, run.err().lines().count(), run.err());
      assertTrue(run.err().contains(bad.substring(0, bad.indexOf('='))), run.err());
      assertTrue(!run.out().contains("destination:"), "nothing was opened: " + run.out());
    }
    // no run, and not even the bookkeeping tables: the database was never touched
    assertEquals(0, h.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'supaglue'"));

    CliRun good = CliRun.of("sync", "--config", config.toString(), "--sinkBatchRows=1");
    assertEquals(0, good.status(), good.out() + good.err());
    assertEquals(1, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'SUCCESS'"));
  }

  @Test
  void helpNeedsNeitherAConfigNorADatabase() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path config = config("jdbc:postgresql://127.0.0.1:" + closed + "/nowhere");
    CliRun reaches = CliRun.of("status", "--config", config.toString());
    assertEquals(SyncbeamCli.EXIT_FAILED, reaches.status(), "without --help, status goes to that database: " + reaches.err());
    assertTrue(reaches.err().contains("database error"), reaches.err());

    for (String command : COMMANDS) {
      CliRun plain = CliRun.of(command, "--help");
      assertEquals(0, plain.status(), command + ": " + plain.err());
      assertTrue(plain.out().contains("Usage: syncbeam " + command) && plain.out().contains("--version"), plain.out());
      if (WITH_CONFIG.contains(command)) {
        CliRun configured = CliRun.of(command, "--config", config.toString(), "--help");
        assertEquals(0, configured.status(), command + ": " + configured.err());
        assertEquals(plain.out(), configured.out());
      }
    }
  }

  @Test
  void syncListsSyncBeamsPipelineOptions() {
    CliRun options = CliRun.of("sync", "--help=SyncOptions");
    assertEquals(0, options.status(), options.err());
    for (String o : new String[] {"--extractSplitBytes", "--sinkBatchRows", "--sinkBatchBytes", "--lockTimeoutSeconds",
        "--reconnectWindowSeconds", "--hubspotPageSize", "--pipedrivePageSize", "--salesforceBulkThreshold"}) {
      assertTrue(options.out().contains(o), o + " in\n" + options.out());
    }
    CliRun usage = CliRun.of("sync", "--help");
    assertEquals(0, usage.status(), usage.err());
    assertTrue(usage.out().contains("--full-refresh") && usage.out().contains("--help=SyncOptions"), usage.out());

    CliRun unknown = CliRun.of("sync", "--help=NoSuchOptions");
    assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, unknown.status());
    assertTrue(unknown.err().contains("--help=NoSuchOptions: no such options interface") && unknown.err().contains("SyncOptions"),
        unknown.err());
  }

  @Test
  void theVersionIsTheBuilds() {
    for (String[] args : new String[][] {{"--version"}, {"status", "--version"}}) {
      CliRun run = CliRun.of(args);
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().strip().matches("syncbeam \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), run.out());
    }
  }

  @Test
  void badArgumentsExitTwoInOneLine() {
    for (String[] args : new String[][] {{"status", "--runs", "many"}, {"bench", "--records", "5"}, {"frobnicate"},
        {"sync", "--only"}}) {
      CliRun run = CliRun.of(args);
      assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, run.status(), String.join(" ", args) + ": " + run.err());
      assertEquals(1, run.err().lines().count(), run.err());
    }
    assertTrue(CliRun.of("bench", "--records", "5").err().contains("--records must be at least 100"));
  }
}
