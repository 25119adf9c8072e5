package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.runners.BundledJar.Outcome;
import dev.syncbeam.runners.HubSpotExtract.Rec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar on a machine that has only a JRE and that jar: copied alone into an empty folder,
 * {@code java -jar} runs the command line, starts the embedded PostgreSQL under ./.syncbeam and syncs.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BundledJarIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  /** No destination: the embedded PostgreSQL under ./.syncbeam. */
  private static final String CONFIG = """
        application_id: jar-app
        syncs:
          - customer_id: acme
            provider: hubspot
            source: { extract: ./extract }
            standard_objects: [contacts]
        """;

  @Test
  void syncsIntoTheEmbeddedDatabaseFromAnEmptyFolderHoldingOnlyTheJar(@TempDir Path tmp) throws Exception {
    Path machine = Files.createDirectories(tmp.resolve("machine"));
    Path jar = Files.copy(BundledJar.path(), machine.resolve("syncbeam.jar"));

    Outcome help = BundledJar.run(jar, machine, COMMAND_TIMEOUT, "--help");
    assertEquals(0, help.exitCode(), help.output());
    assertTrue(help.output().contains("flink-cluster"), "the runners module's subcommand is registered in the bundle: " + help.output());

    Outcome empty = BundledJar.run(jar, machine, COMMAND_TIMEOUT, "status");
    assertEquals(0, empty.exitCode(), empty.output());
    assertTrue(empty.output().contains("embedded PostgreSQL"), empty.output());
    assertTrue(Files.isDirectory(machine.resolve(".syncbeam").resolve("postgres")), "the embedded database lives under ./.syncbeam");

    // 300 contacts in a CRM v3 list page, 200 more as NDJSON; every 10th archived
    List<Rec> page = new ArrayList<>();
    List<Rec> lines = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      Instant updated = Instant.parse("2024-05-01T00:00:00Z").plusSeconds(i * 60L);
      Rec r = new Rec(Integer.toString(i), updated.minusSeconds(86_400), updated, i % 10 == 0, i % 10 == 0 ? updated : null,
          Map.of("firstname", "Jar" + i, "email", "jar" + i + "@example.com"));
      (i <= 300 ? page : lines).add(r);
    }
    new HubSpotExtract().add("contacts", "page-1.json", page).add("contacts", "more.ndjson", lines).writeTo(machine.resolve("extract"));
    Files.writeString(machine.resolve("syncbeam.yaml"), CONFIG, StandardCharsets.UTF_8);

    Outcome sync = BundledJar.run(jar, machine, COMMAND_TIMEOUT, "sync", "--config", "syncbeam.yaml");
    assertEquals(0, sync.exitCode(), sync.output());
    assertTrue(sync.output().contains("syncing 1 object(s) on DirectRunner"), sync.output());
    assertTrue(sync.output().matches("(?s).*acme/hubspot/contacts\\s*\\|\\s*full\\s*\\|\\s*SUCCESS\\s*\\|\\s*500\\s*\\|\\s*500\\b.*"), sync.output());

    Outcome landed = BundledJar.run(jar, machine, COMMAND_TIMEOUT, "sql",
        "select count(*) filter (where not _supaglue_is_deleted) || ' live, ' || count(*) filter (where _supaglue_is_deleted) || ' deleted' as rows"
            + " from supaglue.hubspot_contacts where _supaglue_application_id = 'jar-app'");
    assertEquals(0, landed.exitCode(), landed.output());
    assertTrue(landed.output().contains("450 live, 50 deleted"), landed.output());

    Outcome status = BundledJar.run(jar, machine, COMMAND_TIMEOUT, "status", "--config", "syncbeam.yaml");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(status.output().matches("(?s).*acme/hubspot/contacts\\s*\\|\\s*full\\s*\\|\\s*SUCCESS.*"), status.output());
  }

  @Test
  void submittingWithoutWaitingNeedsADestinationThatOutlivesTheCommand(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("syncbeam.yaml"), CONFIG, StandardCharsets.UTF_8);
    Outcome detached = BundledJar.run(BundledJar.path(), tmp, COMMAND_TIMEOUT,
        "sync", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:1", "--attachedMode=false");
    assertEquals(2, detached.exitCode(), detached.output());
    assertTrue(detached.output().contains("destination.url is required to submit without waiting"), detached.output());
  }

  @Test
  void bundleMergesEveryRunnerAndFileSystemAndCarriesNoSignatures() throws IOException {
    try (JarFile jar = new JarFile(BundledJar.path().toFile())) {
      assertEquals("dev.syncbeam.pipelines.cli.SyncbeamCli", jar.getManifest().getMainAttributes().getValue("Main-Class"));
      String runners = service(jar, "org.apache.beam.sdk.runners.PipelineRunnerRegistrar");
      for (String runner : List.of("DirectRegistrar", "FlinkRunnerRegistrar", "DataflowPipelineRegistrar")) {
        assertTrue(runners.contains(runner), runner + " missing from the merged runner registrars:\n" + runners);
      }
      String fileSystems = service(jar, "org.apache.beam.sdk.io.FileSystemRegistrar");
      for (String fs : List.of("LocalFileSystemRegistrar", "S3FileSystemRegistrar", "GcsFileSystemRegistrar")) {
        assertTrue(fileSystems.contains(fs), fs + " missing from the merged file system registrars:\n" + fileSystems);
      }
      assertTrue(service(jar, "com.fasterxml.jackson.databind.Module").contains("JodaModule"), "Jackson modules are merged");
      assertTrue(service(jar, "dev.syncbeam.pipelines.RunnerSetup").contains("FlinkRunnerSetup"));
      assertTrue(service(jar, "dev.syncbeam.pipelines.RunnerSetup").contains("DirectRunnerSetup"));
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        assertFalse(name.startsWith("META-INF/") && name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"), "signature file left in the bundle: " + name);
      }
    }
  }

  private static String service(JarFile jar, String type) throws IOException {
    JarEntry e = jar.getJarEntry("META-INF/services/" + type);
    assertTrue(e != null, "no service file for " + type + " in the bundle");
    return new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
  }
}
