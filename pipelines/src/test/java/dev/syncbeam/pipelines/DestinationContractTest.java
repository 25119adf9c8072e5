package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.Migration;
import dev.syncbeam.schemas.Migrations;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The destination as Supaglue's Postgres guide sets it up, and what users add to it, keep working. */
class DestinationContractTest {
  @TempDir Path root;

  @Test
  void supaglueRoleSetupIsEnoughAndCheckNamesTheMissingGrant() throws Exception {
    SyncHarness admin = new SyncHarness("roles", root);
    String db = admin.url.substring(admin.url.lastIndexOf('/') + 1);
    String role = "sg_role_" + db, user = "sg_user_" + db;
    // Supaglue's guide, as is
    admin.execute("CREATE SCHEMA supaglue",
        "CREATE ROLE " + role,
        "GRANT CONNECT ON DATABASE " + db + " TO " + role,
        "GRANT ALL PRIVILEGES ON SCHEMA supaglue TO " + role,
        "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA supaglue TO " + role,
        "CREATE USER " + user + " WITH PASSWORD 'secret-pw'",
        "GRANT " + role + " TO " + user);
    admin.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io")));
    PostgresDestination asUser = PostgresDestination.of(admin.url, user, "secret-pw", "supaglue");
    SyncDefinition contacts = admin.sync("hubspot", "acme", "contacts");

    assertTrue(new SyncJob(asUser, System.out).run(List.of(contacts), true, SyncHarness.CHECKED_DIRECT).allSucceeded());
    assertEquals(1, admin.count("SELECT count(*) FROM supaglue.hubspot_contacts"));

    Path config = root.resolve("syncbeam.yaml");
    Files.writeString(config, "application_id: " + SyncHarness.APP + "\n"
        + "destination: { url: \"" + admin.url + "\", schema: supaglue, user: " + user + ", password: ${TEST_PG_PASSWORD_UNSET_OK:-x} }\n"
        .replace("${TEST_PG_PASSWORD_UNSET_OK:-x}", "secret-pw")
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { extract: . }\n    standard_objects: [contacts]\n");
    CliRun ok = CliRun.of("check", "--config", config.toString());
    assertEquals(0, ok.status, ok.out);
    assertTrue(ok.out.contains("all checks passed"), ok.out);

    admin.execute("REVOKE ALL PRIVILEGES ON SCHEMA supaglue FROM " + role);
    CliRun missing = CliRun.of("check", "--config", config.toString());
    assertEquals(SyncbeamCli.EXIT_FAILED, missing.status, missing.out);
    assertTrue(missing.out.contains("GRANT ALL PRIVILEGES ON SCHEMA \"supaglue\" TO \"" + user + "\""), missing.out);
    assertTrue(!missing.out.contains("secret-pw") && !missing.err.contains("secret-pw"), "no secret in output");
  }

  @Test
  void userAddedIndexViewGeneratedAndNullableColumnsSurviveSyncsAndAMigration() throws Exception {
    SyncHarness h = new SyncHarness("usercols", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.execute("CREATE INDEX my_email_idx ON supaglue.hubspot_contacts ((_supaglue_raw_data->'properties'->>'email'))",
        "CREATE VIEW supaglue.my_contacts AS SELECT _supaglue_id, _supaglue_raw_data->'properties'->>'email' AS email"
            + " FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted",
        "ALTER TABLE supaglue.hubspot_contacts ADD COLUMN email text GENERATED ALWAYS AS (_supaglue_raw_data->'properties'->>'email') STORED",
        "ALTER TABLE supaglue.hubspot_contacts ADD COLUMN my_note text",
        "UPDATE supaglue.hubspot_contacts SET my_note = 'vip' WHERE _supaglue_id = '1'");

    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-04-01T00:00:00.000Z", false, "a2@x.io")));
    assertTrue(h.run(true, contacts).allSucceeded());
    // a later release's migration touches the same table
    List<Migration> next = new ArrayList<>(Migrations.ALL);
    int later = Migrations.ALL.stream().mapToInt(Migration::version).max().orElse(0) + 1;
    next.add(Migrations.migration(later, "test: a column added in a later release",
        (c, s) -> Ddl.execute(c, List.of("ALTER TABLE \"" + s + "\".hubspot_contacts ADD COLUMN IF NOT EXISTS _supaglue_later text"))));
    try (Connection c = h.destination.open()) {
      assertEquals(List.of(later), new SchemaMigrator(next).migrate(c, "supaglue"));
      assertEquals(List.of(), new SchemaMigrator(next).migrate(c, "supaglue"), "applied once");
    }
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-05-01T00:00:00.000Z", false, "a3@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());

    assertEquals("a3@x.io", h.scalar("SELECT email FROM supaglue.hubspot_contacts WHERE _supaglue_id = '1'").orElseThrow());
    assertEquals("vip", h.scalar("SELECT my_note FROM supaglue.hubspot_contacts WHERE _supaglue_id = '1'").orElseThrow());
    assertEquals(List.of("1"), h.rows("SELECT _supaglue_id FROM supaglue.my_contacts").stream().map(r -> r.get("_supaglue_id")).toList());
    assertEquals(1, h.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'supaglue' AND indexname = 'my_email_idx'"));
    assertEquals(1, h.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'supaglue'"
        + " AND table_name = 'hubspot_contacts' AND column_name = '_supaglue_later'"));
  }

  /** Runs the command line in-process and captures what it prints. */
  record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
      PrintStream saved = System.out;
      try (PrintStream o = new PrintStream(out, true); PrintStream e = new PrintStream(err, true)) {
        System.setOut(o);
        int status = SyncbeamCli.run(args, o, e);
        return new CliRun(status, out.toString(), err.toString());
      } finally {
        System.setOut(saved);
      }
    }
  }
}
