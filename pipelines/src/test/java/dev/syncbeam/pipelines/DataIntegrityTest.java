package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.hubspotContact;
import static dev.syncbeam.pipelines.Pages.hubspotPage;
import static dev.syncbeam.pipelines.Pages.ndjson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing falsely deleted, under the inputs a real export and a real database produce:
 * values PostgreSQL refuses, far-future and missing timestamps, records that come back, empty files,
 * invalid UTF-8, and a table someone else has locked.
 */
@Tag("time-zones")
class DataIntegrityTest {
  @TempDir Path root;

  private List<Object> ids(SyncHarness h, String where) throws Exception {
    return h.rows("SELECT _supaglue_id FROM supaglue.hubspot_contacts WHERE " + where + " ORDER BY 1").stream()
        .map(r -> r.get("_supaglue_id")).toList();
  }

  @Test
  void aRecordPostgresWouldRefuseCostsNoOtherRecordOrCustomerItsRun() throws Exception {
    SyncHarness h = new SyncHarness("refused", root.resolve("acme"));
    Path globexRoot = root.resolve("globex");
    SyncDefinition acme = h.sync("hubspot", "acme", "contacts");
    SyncDefinition globex = h.sync(globexRoot, "hubspot", "globex", "contacts", RunModePolicy.FULL_THEN_INCREMENTAL);
    // a lone surrogate (jsonb: "Unicode low surrogate must follow a high surrogate") and a year timestamp(3)
    // cannot hold, in the same table and the same batch as another customer's records
    h.write("contacts", "a.ndjson", ndjson(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io").replace("\"F2\"", "\"x\\ud800y\""),
        hubspotContact("3", "+10000-01-01T00:00:00Z", false, "c@x.io")));
    Files.createDirectories(globexRoot.resolve("contacts"));
    Files.writeString(globexRoot.resolve("contacts").resolve("a.ndjson"), ndjson(
        hubspotContact("7", "2024-03-01T10:00:00.000Z", false, "g@x.io"),
        hubspotContact("8", "2024-03-01T10:00:00.000Z", false, "h@x.io")));

    assertTrue(h.run(false, acme, globex).allSucceeded());
    assertTrue(h.run(false, acme, globex).allSucceeded(), "and every later run too");

    assertEquals(List.of("7", "8"), h.rows("SELECT _supaglue_id FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'globex'"
        + " ORDER BY 1").stream().map(r -> r.get("_supaglue_id")).toList());
    assertEquals(List.of("1", "3"), ids(h, "_supaglue_customer_id = 'acme'"));
    Map<String, Object> run = h.lastRun(acme);
    assertEquals(1L, run.get("dead_letters"));
    assertEquals(1L, run.get("coerced"), "the out-of-range timestamp");
    assertEquals("1970-01-01 00:00:00", h.scalar("SELECT _supaglue_last_modified_at::text FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '3'").orElseThrow());
    Map<String, Object> letter = h.rows("SELECT record_id, error FROM supaglue._syncbeam_dead_letters WHERE run_id = ?",
        run.get("run_id")).get(0);
    assertEquals("2", letter.get("record_id"));
    assertTrue(String.valueOf(letter.get("error")).contains("unpaired UTF-16 surrogate"), "error: " + letter.get("error"));
    assertEquals(0L, h.lastRun(globex).get("dead_letters"));
  }

  @Test
  void aRowTheDatabaseRefusesIsIsolatedFromItsBatchAndKeptAsADeadLetter() throws Exception {
    SyncHarness h = new SyncHarness("bisect", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    // a rule the user added to their table, which one record breaks: Normalize cannot know it, only the database can
    h.execute("ALTER TABLE supaglue.hubspot_contacts ADD CONSTRAINT no_test_domain"
        + " CHECK (_supaglue_raw_data->'properties'->>'email' NOT LIKE '%@blocked.example')");
    StringBuilder many = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      many.append(hubspotContact(String.valueOf(i), "2024-03-02T10:00:00.000Z", false,
          i == 17 ? "x@blocked.example" : "p" + i + "@x.io")).append('\n');
    }
    h.clear("contacts");
    h.write("contacts", "b.ndjson", many.toString());

    assertTrue(h.run(true, contacts).allSucceeded(), "one refused row does not fail the run");

    assertEquals(39, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_last_modified_at = '2024-03-02 10:00:00'"));
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals(1L, run.get("dead_letters"));
    assertEquals(39L, run.get("records_written"));
    Map<String, Object> letter = h.rows("SELECT record_id, error, payload FROM supaglue._syncbeam_dead_letters WHERE run_id = ?",
        run.get("run_id")).get(0);
    assertEquals("17", letter.get("record_id"));
    assertTrue(String.valueOf(letter.get("error")).contains("no_test_domain"), "error: " + letter.get("error"));
    assertTrue(String.valueOf(letter.get("payload")).contains("x@blocked.example"), "the record itself is kept");
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"),
        "the refused id is not swept");
  }

  @Test
  void aFarFutureTimestampCannotPushTheWatermarkPastTheRun() throws Exception {
    SyncHarness h = new SyncHarness("future", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "9999-12-31T23:59:59.999Z", false, "future@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    Map<String, Object> first = h.lastRun(contacts);
    assertTrue(String.valueOf(first.get("notes")).startsWith("1 record(s) stamped in the future (latest 9999-12-31T23:59:59.999Z)"),
        "notes: " + first.get("notes"));
    assertEquals(2L, first.get("records_written"), "the record is still written");
    assertTrue(h.count("SELECT count(*) FROM supaglue._syncbeam_sync_state WHERE watermark < now() AT TIME ZONE 'utc' + interval '6 minutes'") == 1,
        "the watermark stops near the run's start");

    // a normal change afterwards lands incrementally
    h.clear("contacts");
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", Instant.now().toString(), false, "a2@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals("incremental", h.lastRun(contacts).get("strategy"));
    assertEquals("a2@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '1'").orElseThrow());
  }

  @Test
  void aSweptRecordThatComesBackIsUndeletedWhateverItsTimestampAndPayload() throws Exception {
    SyncHarness h = new SyncHarness("returning", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    String later = hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "zzz@x.io");
    h.write("contacts", "a.json", hubspotPage(later, hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.write("contacts", "a.json", hubspotPage(hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("1"), ids(h, "_supaglue_is_deleted"), "1 was swept");

    // the same timestamp and a payload that sorts lower as text: the newer-wins guard alone would keep it deleted
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "aaa@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of(), ids(h, "_supaglue_is_deleted"));
    assertEquals("aaa@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '1'").orElseThrow());

    // a record the provider itself deleted does not come back by an older live version
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-05T10:00:00.000Z", true, "aaa@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "aaa@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("1"), ids(h, "_supaglue_is_deleted"));
  }

  @Test
  void anEmptyExtractFileFailsItsSyncAndDeletesNothing() throws Exception {
    SyncHarness h = new SyncHarness("empty", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "part1.ndjson", ndjson(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());

    h.write("contacts", "part1.ndjson", ""); // what an export that crashed leaves
    assertFalse(h.run(true, contacts).allSucceeded());
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals("FAILURE", run.get("status"));
    assertTrue(String.valueOf(run.get("error")).contains("part1.ndjson is empty (0 bytes)"), "error: " + run.get("error"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));

    // an explicit empty response page is how "no records" is said
    h.clear("contacts");
    h.write("contacts", "empty.json", "{\"results\": []}");
    assertTrue(h.run(true, contacts).allSucceeded());
    assertEquals(2, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
  }

  @Test
  void anIncrementalRunKeepsARecordThatHasNoModificationTime() throws Exception {
    SyncHarness h = new SyncHarness("notime", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());

    h.write("contacts", "a.json", "{\"results\":[{\"id\":\"5\",\"properties\":{\"email\":\"untimed@x.io\"},\"archived\":false}]}");
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals("incremental", h.lastRun(contacts).get("strategy"));
    assertEquals("untimed@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '5'").orElseThrow());
    assertEquals(1L, h.lastRun(contacts).get("records_written"));
  }

  @Test
  void invalidUtf8IsReplacedCountedAndNamed() throws Exception {
    SyncHarness h = new SyncHarness("utf8", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    byte[] good = (hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io") + "\n").getBytes(StandardCharsets.UTF_8);
    // caf\xc3\x28: a two-byte sequence cut short
    byte[] bad = (hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "cafXX@x.io") + "\n").getBytes(StandardCharsets.UTF_8);
    String text = new String(bad, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("XX");
    bad[at] = (byte) 0xc3;
    bad[at + 1] = (byte) 0x28;
    Files.createDirectories(root.resolve("contacts"));
    Files.write(root.resolve("contacts").resolve("a.ndjson"), concat(good, bad));

    assertTrue(h.run(false, contacts).allSucceeded());
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals(1L, run.get("coerced"));
    assertEquals("1 record(s) held invalid UTF-8, landed with U+FFFD in its place (ids 2)", run.get("notes"));
    assertEquals("caf\uFFFD(@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '2'").orElseThrow());
  }

  @Test
  void aTableLockedBySomeoneElseFailsTheRunNamingItInsteadOfWaitingForever() throws Exception {
    SyncHarness h = new SyncHarness("locked", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-02T10:00:00.000Z", false, "a2@x.io")));

    try (Connection holder = h.connect(); Statement st = holder.createStatement()) {
      holder.setAutoCommit(false);
      st.execute("LOCK TABLE supaglue.hubspot_contacts IN ACCESS EXCLUSIVE MODE");
      SyncJob.Result result = CompletableFuture.supplyAsync(() -> {
        try {
          return new SyncJob(h.destination, System.out).run(List.of(contacts), false,
              new String[] {"--enforceImmutability=true", "--lockTimeoutSeconds=2"});
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).get(90, TimeUnit.SECONDS);
      holder.rollback();
      assertFalse(result.allSucceeded());
    }
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals("FAILURE", run.get("status"));
    assertTrue(String.valueOf(run.get("error")).contains("hubspot_contacts") && String.valueOf(run.get("error")).contains("lock_timeout"),
        "error: " + run.get("error"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
