package dev.syncbeam.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.sandbox.SharedTestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flex Template's entry point maps the launcher's arguments onto one {@code syncbeam sync}, and the template files name it. */
class FlexTemplateSyncTest {
  private static final String[] DATAFLOW = {"--runner=DataflowRunner", "--project=my-project", "--region=europe-west1",
      "--tempLocation=gs://my-bucket/tmp", "--stagingLocation=gs://my-bucket/staging"};

  @Test
  void templateParametersBecomeSyncOptionsAndTheRestGoesToBeam(@TempDir Path tmp) throws Exception {
    Path yaml = Files.writeString(tmp.resolve("syncbeam.yaml"), "application_id: a\nsyncs: []\n");
    List<String> launcher = new ArrayList<>(List.of("--config=" + yaml.toUri(), "--fullRefresh=true", "--only=acme/hubspot/contacts, acme/hubspot/deals"));
    launcher.addAll(List.of(DATAFLOW));
    String[] sync = FlexTemplateSync.syncArguments(launcher.toArray(String[]::new));

    assertEquals("sync", sync[0]);
    assertEquals("--config", sync[1]);
    Path copy = Path.of(sync[2]);
    assertTrue(!copy.equals(yaml) && Files.readString(copy).equals(Files.readString(yaml)), "a URI config is read through Beam's FileSystems into a local copy");
    List<String> rest = List.of(sync).subList(3, sync.length);
    List<String> expected = new ArrayList<>(List.of("--full-refresh", "--only", "acme/hubspot/contacts", "--only", "acme/hubspot/deals"));
    expected.addAll(List.of(DATAFLOW));
    assertEquals(expected, rest);

    String[] plain = FlexTemplateSync.syncArguments(new String[] {"--config=" + yaml, "--fullRefresh=false", "--runner=DataflowRunner"});
    assertArrayEquals(new String[] {"sync", "--config", yaml.toString(), "--runner=DataflowRunner"}, plain, "a local path is used as it is");
  }

  @Test
  void withoutConfigTheTemplateFailsNamingTheParameter() {
    ConfigException e = assertThrows(ConfigException.class, () -> FlexTemplateSync.syncArguments(DATAFLOW));
    assertTrue(e.getMessage().contains("template parameter config"), e.getMessage());
  }

  @Test
  void theEntryPointRunsARealSync(@TempDir Path tmp) throws Exception {
    String url = SharedTestPostgres.freshDatabase("flex_template");
    Path contacts = Files.createDirectories(tmp.resolve("extract").resolve("contacts"));
    Files.writeString(contacts.resolve("contacts.ndjson"), """
        {"id":"1","properties":{"firstname":"Ada"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z","archived":false}
        {"id":"2","properties":{"firstname":"Grace"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-03T00:00:00Z","archived":false}
        """, StandardCharsets.UTF_8);
    // the template copies the config away from its folder, so extracts are named by absolute path
    Path yaml = Files.writeString(tmp.resolve("syncbeam.yaml"), """
        application_id: flex-app
        destination: { url: "%s", user: postgres, password: postgres, schema: supaglue }
        syncs:
          - customer_id: acme
            provider: hubspot
            source: { extract: "%s" }
            standard_objects: [contacts]
        """.formatted(url, tmp.resolve("extract")), StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = SyncbeamCli.run(FlexTemplateSync.syncArguments(new String[] {"--config=" + yaml.toUri(), "--fullRefresh=true"}),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_application_id = 'flex-app'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void metadataAndLauncherImageNameTheEntryPointAndItsParameters() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(Path.of("dataflow", "metadata.json").toFile());
    List<String> names = new ArrayList<>();
    metadata.path("parameters").forEach(p -> names.add(p.path("name").asText()));
    assertEquals(FlexTemplateSync.PARAMETERS, names, "metadata.json declares exactly the parameters the entry point reads");
    String dockerfile = Files.readString(Path.of("dataflow", "Dockerfile"));
    assertTrue(dockerfile.contains("FLEX_TEMPLATE_JAVA_MAIN_CLASS=\"" + FlexTemplateSync.class.getName() + "\""), dockerfile);
    assertTrue(dockerfile.contains("FLEX_TEMPLATE_JAVA_CLASSPATH=\"${WORKDIR}/syncbeam-bundled.jar\""), dockerfile);
    assertTrue(Files.readString(Path.of("pom.xml")).contains("<outputFile>${project.build.directory}/syncbeam-bundled.jar</outputFile>"),
        "the image copies the jar the shade plugin writes");
  }
}
