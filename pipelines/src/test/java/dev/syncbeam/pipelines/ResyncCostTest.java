package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full refresh rewrites only rows whose record changed: unchanged rows keep their tuple (xmin) and
 * their run stamp, rows the provider no longer returns are still swept, and nothing is left behind
 * in the seen-keys table once the run ends.
 */
class ResyncCostTest {
  @TempDir Path root;

  private static final int RECORDS = 300;

  private static String page(int changedEvery, int skipFrom) {
    List<String> records = new ArrayList<>();
    for (int i = 1; i <= RECORDS; i++) {
      if (i >= skipFrom) continue;
      boolean changed = changedEvery > 0 && i % changedEvery == 0;
      records.add(hubspotContact(Integer.toString(i), changed ? "2024-03-02T00:00:00.000Z" : "2024-03-01T00:00:00.000Z", false,
          (changed ? "changed" : "same") + i + "@x.io"));
    }
    return hubspotPage(records.toArray(new String[0]));
  }

  private static Map<String, String> tuples(SyncHarness h, String table, String idColumn) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (Map<String, Object> r : h.rows("SELECT " + idColumn + " AS id, xmin::text AS xmin, " + "_supaglue_emitted_at::text AS stamp FROM supaglue." + table)) {
      out.put((String) r.get("id"), r.get("xmin") + "@" + r.get("stamp"));
    }
    return out;
  }

  @Test
  void aReSyncOfUnchangedRecordsTouchesNoRowButStillSweepsTheMissingOnes() throws Exception {
    SyncHarness h = new SyncHarness("resync", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY).withCommonObject(CommonObject.CONTACTS);
    h.write("contacts", "a.json", page(0, Integer.MAX_VALUE));
    assertTrue(h.run(false, contacts).allSucceeded());
    Map<String, String> rawBefore = tuples(h, "hubspot_contacts", "_supaglue_id");
    Map<String, String> crmBefore = tuples(h, "crm_contacts", "id");
    assertEquals(RECORDS, rawBefore.size());

    // every 10th record changed (new email and modification time), the last 3 gone at the provider
    h.write("contacts", "a.json", page(10, RECORDS - 2));
    assertTrue(h.run(false, contacts).allSucceeded());

    Map<String, String> rawAfter = tuples(h, "hubspot_contacts", "_supaglue_id");
    Map<String, String> crmAfter = tuples(h, "crm_contacts", "id");
    int untouched = 0;
    for (int i = 1; i < RECORDS - 2; i++) {
      String id = Integer.toString(i);
      if (i % 10 == 0) {
        assertNotEquals(rawBefore.get(id), rawAfter.get(id), "record " + id + " changed: its row is rewritten");
        assertNotEquals(crmBefore.get(id), crmAfter.get(id), "record " + id + " changed: its crm_* row is rewritten");
      } else {
        assertEquals(rawBefore.get(id), rawAfter.get(id), "record " + id + " is unchanged: same tuple, same stamp");
        assertEquals(crmBefore.get(id), crmAfter.get(id), "record " + id + " is unchanged in crm_contacts too");
        untouched++;
      }
    }
    assertEquals(RECORDS - 2 - 1 - (RECORDS - 3) / 10, untouched);
    assertEquals(3, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted AND _syncbeam_swept"));
    assertEquals(3, h.count("SELECT count(*) FROM supaglue.crm_contacts WHERE is_deleted"));
    assertEquals("changed20@x.io", h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '20'").orElseThrow());
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_seen_keys"), "an ended run leaves no seen keys");
  }

  @Test
  void aRecordWhoseOnlyChangeIsItsModificationTimeIsRewrittenAndASweptRecordComesBack() throws Exception {
    SyncHarness h = new SyncHarness("resync_ts", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    Map<String, String> before = tuples(h, "hubspot_contacts", "_supaglue_id");

    // 1: the provider touched it (same fields, later updatedAt); 2: missing from this full refresh
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-05T00:00:00.000Z", false, "a@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertNotEquals(before.get("1"), tuples(h, "hubspot_contacts", "_supaglue_id").get("1"),
        "the modification time is part of what the row says: it is rewritten, so last_modified_at and the watermark follow the provider");
    assertEquals("2024-03-05 00:00:00", h.scalar("SELECT _supaglue_last_modified_at::text FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_id = '1'").orElseThrow());
    assertEquals(1, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_id = '2' AND _supaglue_is_deleted"));

    // 2 is back, exactly as it was before the sweep: same content hash, but the swept row must revive
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-05T00:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T00:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted OR _syncbeam_swept"));
  }

  @Test
  void onlyARunWithRowsToSweepRecordsTheIdsItRead() throws Exception {
    SyncHarness h = new SyncHarness("resync_seen", root);
    SyncDefinition other = h.sync("hubspot", "other", "contacts", RunModePolicy.FULL_THEN_INCREMENTAL);
    SyncDefinition acme = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_THEN_INCREMENTAL);
    h.write("contacts", "a.json", page(0, Integer.MAX_VALUE));
    assertTrue(h.run(false, other).allSucceeded()); // the schema exists now, and another customer's rows share the table
    // every id written to the seen keys, whichever statement writes it (COPY fires row triggers too)
    h.execute("CREATE TABLE supaglue.seen_log (run_id bigint, record_id text)",
        "CREATE FUNCTION supaglue.log_seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " INSERT INTO supaglue.seen_log VALUES (NEW.run_id, NEW.record_id); RETURN NEW; END $$",
        "CREATE TRIGGER log_seen AFTER INSERT ON supaglue._syncbeam_seen_keys FOR EACH ROW EXECUTE FUNCTION supaglue.log_seen()");

    assertTrue(h.run(false, acme).allSucceeded());
    assertEquals(RECORDS, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'acme'"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.seen_log"), "a first load has nothing to sweep: no ids recorded");
    h.write("contacts", "a.json", page(10, Integer.MAX_VALUE));
    assertTrue(h.run(false, acme).allSucceeded());
    assertEquals("incremental", h.lastRun(acme).get("strategy"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.seen_log"), "an incremental run never sweeps: no ids recorded");

    h.write("contacts", "a.json", page(10, RECORDS - 2));
    assertTrue(h.run(true, acme).allSucceeded());
    assertEquals(RECORDS - 3, h.count("SELECT count(DISTINCT record_id) FROM supaglue.seen_log"), "a re-sync records what it read");
    assertEquals(3, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'acme' AND _syncbeam_swept"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'other' AND _supaglue_is_deleted"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_seen_keys"), "an ended run leaves no seen keys");
  }
}
