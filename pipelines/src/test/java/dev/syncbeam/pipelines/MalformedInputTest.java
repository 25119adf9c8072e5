package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariants 7 and 8: bad input is kept as dead letters, never fatal, never a reason to delete; names never reach SQL raw. */
class MalformedInputTest {
  @TempDir Path root;

  @Test
  void badRecordsBecomeDeadLettersAndGoodOnesLand() throws Exception {
    SyncHarness h = new SyncHarness("malformed", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.ndjson", ndjson(
        hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "ok@x.io"),
        "{\"properties\":{\"email\":\"no-id@x.io\"},\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}",
        "{\"id\": \"2\", \"updatedAt\": ",
        "42",
        "{\"id\":{\"nested\":true},\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}",
        hubspotContact("3", "not a date", false, "baddate@x.io"),
        "{\"id\":\"4\",\"properties\":{\"note\":\"nul\\u0000byte\"},\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}"));
    h.write("contacts", "b.json", "{\"results\":[{\"id\":\"9\",\"updatedAt\":\"2024-03-01T0");

    // the unreadable line and page may hide records: the run lands what it could read, and fails as incomplete
    assertFalse(h.run(false, contacts).allSucceeded());

    assertEquals(List.of("1", "3", "4"), h.rows("SELECT _supaglue_id FROM supaglue.hubspot_contacts ORDER BY 1")
        .stream().map(r -> r.get("_supaglue_id")).toList());
    assertEquals(java.sql.Timestamp.valueOf("1970-01-01 00:00:00"),
        h.scalar("SELECT _supaglue_last_modified_at FROM supaglue.hubspot_contacts WHERE _supaglue_id = '3'").orElseThrow());
    assertEquals("nulbyte", h.scalar("SELECT _supaglue_raw_data->'properties'->>'note' FROM supaglue.hubspot_contacts WHERE _supaglue_id = '4'").orElseThrow());
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals(5L, run.get("dead_letters"));
    assertEquals(2L, run.get("coerced"), "the unparseable timestamp and the stripped NUL are counted");
    assertEquals(8L, run.get("records_read"));
    List<Map<String, Object>> letters = h.rows("SELECT error, payload FROM supaglue._syncbeam_dead_letters WHERE run_id = ? ORDER BY id", run.get("run_id"));
    assertEquals(5, letters.size());
    assertTrue(letters.stream().anyMatch(l -> String.valueOf(l.get("error")).contains("record has no id")
        && String.valueOf(l.get("payload")).contains("no-id@x.io")));
    assertTrue(letters.stream().anyMatch(l -> String.valueOf(l.get("error")).contains("b.json")
        && String.valueOf(l.get("payload")).startsWith("{\"results\"")), "the truncated page is kept whole with its file name");
    assertEquals("FAILURE", run.get("status"));
    assertTrue(String.valueOf(run.get("error")).startsWith("full refresh incomplete: 2 unreadable page(s) or record(s)"),
        "error: " + run.get("error"));
  }

  @Test
  void aCommonObjectSyncKeepsTheSameBadRecordsAndMapsTheGoodOnes() throws Exception {
    SyncHarness h = new SyncHarness("malformedcrm", root);
    SyncDefinition plain = h.sync("hubspot", "acme", "contacts");
    SyncDefinition contacts = new SyncDefinition(plain.key(), plain.extractRoot(), plain.rawTable(), null,
        RunModePolicy.FULL_THEN_INCREMENTAL, 0, CommonObject.CONTACTS);
    h.write("contacts", "a.ndjson", ndjson(
        hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "ok@x.io"),
        "{\"properties\":{\"email\":\"no-id@x.io\"},\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}",
        "{\"id\": \"2\", \"updatedAt\": ",
        "42",
        "{\"id\":\"5\",\"updatedAt\":\"2024-03-01T00:00:00.000Z\"} {\"id\":\"6\"}",
        "{\"id\":\"4\",\"properties\":{\"firstname\":\"nul\\u0000byte\"},\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}"));

    assertFalse(h.run(false, contacts).allSucceeded(), "unreadable records may hide others: the run is incomplete");

    // the record parsed whole for its mapping is checked exactly as a key scan checks it
    assertEquals(List.of("1", "4"), h.rows("SELECT _supaglue_id FROM supaglue.hubspot_contacts ORDER BY 1")
        .stream().map(r -> r.get("_supaglue_id")).toList());
    assertEquals(List.of("F1", "nulbyte"), h.rows("SELECT first_name FROM supaglue.crm_contacts ORDER BY id")
        .stream().map(r -> r.get("first_name")).toList(), "the crm row of 4 is mapped from the record without its NUL");
    Map<String, Object> run = h.lastRun(contacts);
    assertEquals(4L, run.get("dead_letters"));
    List<Map<String, Object>> letters = h.rows("SELECT error FROM supaglue._syncbeam_dead_letters WHERE run_id = ?", run.get("run_id"));
    assertTrue(letters.stream().anyMatch(l -> String.valueOf(l.get("error")).contains("trailing content")), "letters: " + letters);
    assertTrue(letters.stream().anyMatch(l -> String.valueOf(l.get("error")).contains("a record must be a JSON object")),
        "letters: " + letters);
  }

  @Test
  void recordsWithoutAnIdLandTheRestAndSkipTheSweep() throws Exception {
    SyncHarness h = new SyncHarness("noid", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    h.write("contacts", "a.ndjson", ndjson(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.write("contacts", "a.ndjson", ndjson(hubspotContact("1", "2024-03-02T00:00:00.000Z", false, "a@x.io"),
        "{\"properties\":{\"email\":\"no-id@x.io\"}}", "42"));

    assertTrue(h.run(false, contacts).allSucceeded(), "records that parse but cannot be identified do not fail the run");

    Map<String, Object> run = h.lastRun(contacts);
    assertEquals(2L, run.get("dead_letters"));
    assertTrue(String.valueOf(run.get("notes")).contains("sweep skipped: 2 record(s) without an id"), "notes: " + run.get("notes"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"), "2 may be the no-id record");
  }

  @Test
  void aFullRefreshWithAnUnreadablePageDeletesNothing() throws Exception {
    SyncHarness h = new SyncHarness("nosweep", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    // record 2's page is now truncated: it may still exist at the provider
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io")));
    h.write("contacts", "b.json", "{\"results\":[" + hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io").substring(0, 30));
    assertFalse(h.run(false, contacts).allSucceeded());
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(0L, h.lastRun(contacts).get("records_deleted"));
  }

  @Test
  void aFullRefreshWithATruncatedPageFailsAndTheNextRunIsFullAndExact() throws Exception {
    SyncHarness h = new SyncHarness("truncated", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    Object watermark = h.watermark(contacts);

    // a requested full refresh where page b (records 3 and 4, new) was cut off in transit
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-04-01T00:00:00.000Z", false, "a2@x.io")));
    h.write("contacts", "b.json", hubspotPage(hubspotContact("3", "2024-04-01T00:00:00.000Z", false, "c@x.io"),
        hubspotContact("4", "2024-04-01T00:00:00.000Z", false, "d@x.io")).substring(0, 60));
    assertFalse(h.run(true, contacts).allSucceeded(), "an incomplete full refresh exits as a failure");

    Map<String, Object> failed = h.lastRun(contacts);
    assertEquals("FAILURE", failed.get("status"));
    assertEquals("full refresh incomplete: 1 unreadable page(s) or record(s) (in _syncbeam_dead_letters for run "
        + failed.get("run_id") + "), sweep skipped; the next run is a full refresh again", failed.get("error"));
    assertEquals("a2@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '1'").orElseThrow(), "what it could read, it wrote");
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(watermark, h.watermark(contacts), "watermark left");
    assertEquals(true, h.scalar("SELECT force_full FROM supaglue._syncbeam_sync_state").orElseThrow(), "full refresh still requested");

    // the export is repaired: the next run (asked for nothing special) is full, and exact
    h.write("contacts", "b.json", hubspotPage(hubspotContact("3", "2024-04-01T00:00:00.000Z", false, "c@x.io"),
        hubspotContact("4", "2024-04-01T00:00:00.000Z", false, "d@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals("full", h.lastRun(contacts).get("strategy"));
    assertEquals(List.of("1", "3", "4"), h.rows("SELECT _supaglue_id FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"
        + " ORDER BY 1").stream().map(r -> r.get("_supaglue_id")).toList());
    assertEquals(1, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted AND _supaglue_id = '2'"));
  }

  @Test
  void hostileObjectNameLandsInCustomObjectsAndTouchesNothingElse() throws Exception {
    SyncHarness h = new SyncHarness("hostile", root);
    h.execute("CREATE SCHEMA IF NOT EXISTS supaglue", "CREATE TABLE supaglue.y (v int)", "INSERT INTO supaglue.y VALUES (1)");
    String hostile = "x\"; drop table y; --__c";
    SyncDefinition sync = h.sync("salesforce", "acme", hostile);
    h.write(hostile, "a.json", salesforcePage(salesforceAccount("a01X", "2024-03-01T00:00:00.000+0000", false, "Evil")));

    assertTrue(h.run(false, sync).allSucceeded());

    assertEquals(1, h.count("SELECT count(*) FROM supaglue.y"), "the hostile name never reached SQL");
    assertEquals("salesforce_x_drop_table_y_c", h.scalar("SELECT _supaglue_object_name FROM supaglue.custom_objects").orElseThrow());
    assertEquals(1, h.count("SELECT count(*) FROM supaglue.salesforce_x_drop_table_y_c WHERE _supaglue_id = 'a01X'"), "the per-object view");
  }

  @Test
  void aConfiguredObjectWithNoFolderFailsItsSyncInsteadOfReadingNothing() throws Exception {
    SyncHarness h = new SyncHarness("nofolder", root);
    SyncDefinition missing = h.sync("hubspot", "acme", "companies");
    assertTrue(!h.run(false, missing).allSucceeded());
    assertEquals("FAILURE", h.lastRun(missing).get("status"));
    assertTrue(String.valueOf(h.lastRun(missing).get("error")).contains("companies"));
  }
}
