package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real provider responses land exactly, one row per distinct record, and a second run changes nothing. */
class FixtureLandingTest {
  @TempDir Path root;

  @Test
  void eachProvidersFixturesLandExactlyAndRerunningChangesNothing() throws Exception {
    Fixtures.copy(root, "Account", "salesforce/query_account_v59_page1_of2_2000rec_nextRecordsUrl.json",
        "salesforce/query_account_v59_page2_of2_86rec_done.json");
    Fixtures.copy(root, "Case", "salesforce/bulk_v1_query_result_case_3rows.csv");
    Fixtures.copy(root, "contacts", "hubspot/contacts_list_v3_get_26rec_single_page.json");
    Fixtures.copy(root, "persons", "pipedrive/persons_list_v1_7rec.json");
    SyncHarness h = new SyncHarness("fixtures", root);
    SyncDefinition account = h.sync("salesforce", "acme", "Account");
    SyncDefinition sfCase = h.sync("salesforce", "acme", "Case");
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    SyncDefinition persons = h.sync("pipedrive", "acme", "persons");

    assertTrue(h.run(false, account, sfCase, contacts, persons).allSucceeded());

    assertEquals(2086, h.count("SELECT count(DISTINCT _supaglue_id) FROM supaglue.salesforce_account WHERE NOT _supaglue_is_deleted"));
    assertEquals(2086, h.count("SELECT count(*) FROM supaglue.salesforce_account"));
    assertEquals(3, h.count("SELECT count(*) FROM supaglue.salesforce_case"));
    assertEquals(26, h.count("SELECT count(*) FROM supaglue.hubspot_contacts"));
    assertEquals(7, h.count("SELECT count(*) FROM supaglue.pipedrive_persons"));
    // values as read from the fixtures by hand
    assertEquals("Burlington Textiles Corp of America",
        h.scalar("SELECT _supaglue_raw_data->>'Name' FROM supaglue.salesforce_account WHERE _supaglue_id = '001dM00003jU9GyQAK'").orElseThrow());
    assertEquals(java.sql.Timestamp.valueOf("2026-05-01 07:25:37"),
        h.scalar("SELECT _supaglue_last_modified_at FROM supaglue.salesforce_account WHERE _supaglue_id = '001dM00003jU9GyQAK'").orElseThrow());
    assertEquals("00001020", h.scalar("SELECT _supaglue_raw_data->>'CaseNumber' FROM supaglue.salesforce_case WHERE _supaglue_id = '5002o00002BIlsXAAT'").orElseThrow());
    assertEquals(java.sql.Timestamp.valueOf("2026-05-15 10:11:04"),
        h.scalar("SELECT _supaglue_last_modified_at FROM supaglue.pipedrive_persons WHERE _supaglue_id = '2'").orElseThrow());
    assertEquals("{}", h.scalar("SELECT _supaglue_mapped_data::text FROM supaglue.pipedrive_persons WHERE _supaglue_id = '2'").orElseThrow());
    assertEquals(2086L, h.lastRun(account).get("records_written"));

    List<Map<String, Object>> before = h.contents("salesforce_account");
    List<Map<String, Object>> beforeContacts = h.contents("hubspot_contacts");
    assertTrue(h.run(false, account, contacts).allSucceeded());
    assertEquals(before, h.contents("salesforce_account"));
    assertEquals(beforeContacts, h.contents("hubspot_contacts"));
    assertEquals(0L, h.lastRun(account).get("records_deleted"));
    // every connection SyncBeam opened is closed again: none lingers idle in the user's database
    assertEquals(0, h.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    assertEquals("incremental", h.lastRun(account).get("strategy"));
  }
}
