package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariants 1 and 2, and incremental deletes: what the provider has is exactly what is not deleted. */
@Tag("time-zones")
class FullRefreshAndDeletesTest {
  @TempDir Path root;

  private List<String> liveIds(SyncHarness h, String table) throws Exception {
    return h.rows("SELECT _supaglue_id FROM supaglue." + table + " WHERE NOT _supaglue_is_deleted ORDER BY 1")
        .stream().map(r -> (String) r.get("_supaglue_id")).toList();
  }

  @Test
  void recordMissingFromTheNextFullExtractIsMarkedDeletedAndReappearingUndeletes() throws Exception {
    SyncHarness h = new SyncHarness("fullrefresh", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    h.write("contacts", "p1.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    h.write("contacts", "p2.json", hubspotPage(hubspotContact("3", "2024-03-02T10:00:00.000Z", false, "c@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("1", "2", "3"), liveIds(h, "hubspot_contacts"));

    h.clear("contacts");
    h.write("contacts", "p1.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("3", "2024-03-02T10:00:00.000Z", false, "c@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("1", "3"), liveIds(h, "hubspot_contacts"));
    assertEquals(3, h.count("SELECT count(*) FROM supaglue.hubspot_contacts"));
    assertEquals(1L, h.lastRun(contacts).get("records_deleted"));

    // the same version of record 2 comes back: it is live again
    h.write("contacts", "p2.json", hubspotPage(hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("1", "2", "3"), liveIds(h, "hubspot_contacts"));
  }

  @Test
  void providerDeletesLandDeletedInIncrementalRunsForEveryProvider() throws Exception {
    SyncHarness h = new SyncHarness("incdeletes", root);
    SyncDefinition account = h.sync("salesforce", "acme", "Account");
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    SyncDefinition persons = h.sync("pipedrive", "acme", "persons");
    h.write("Account", "a.json", salesforcePage(
        salesforceAccount("001A", "2024-05-01T10:00:00.000+0000", false, "Alpha"),
        salesforceAccount("001B", "2024-05-01T10:00:00.000+0000", false, "Beta")));
    h.write("contacts", "c.json", hubspotPage(
        hubspotContact("10", "2024-05-01T10:00:00.000Z", false, "x@x.io"),
        hubspotContact("11", "2024-05-01T10:00:00.000Z", false, "y@x.io")));
    h.write("persons", "p.json", pipedrivePage(pipedrivePerson(20, "2024-05-01 10:00:00", null), pipedrivePerson(21, "2024-05-01 10:00:00", null)));
    assertTrue(h.run(false, account, contacts, persons).allSucceeded());

    // the incremental extracts hold only what changed: one deletion each
    h.clear("Account");
    h.clear("contacts");
    h.clear("persons");
    h.write("Account", "a.json", salesforcePage(salesforceAccount("001B", "2024-05-02T10:00:00.000+0000", true, "Beta")));
    h.write("contacts", "c.json", hubspotPage(hubspotContact("11", "2024-05-02T10:00:00.000Z", true, "y@x.io")));
    h.write("persons", "p.json", pipedrivePage(pipedrivePerson(21, "2024-05-01 10:00:00", "2024-05-02 10:00:00")));
    assertTrue(h.run(false, account, contacts, persons).allSucceeded());

    assertEquals("incremental", h.lastRun(account).get("strategy"));
    assertEquals(List.of("001A"), liveIds(h, "salesforce_account"));
    assertEquals(List.of("10"), liveIds(h, "hubspot_contacts"));
    assertEquals(List.of("20"), liveIds(h, "pipedrive_persons"));
    // a deleted record keeps its last content; its last-modified time moved to the deletion
    assertEquals(java.sql.Timestamp.valueOf("2024-05-02 10:00:00"),
        h.scalar("SELECT _supaglue_last_modified_at FROM supaglue.pipedrive_persons WHERE _supaglue_id = '21'").orElseThrow());
    assertEquals(java.sql.Timestamp.valueOf("2024-05-02 10:00:00"), h.watermark(contacts));

    // restored at the provider: a newer live version un-deletes
    h.write("contacts", "c.json", hubspotPage(hubspotContact("11", "2024-05-03T10:00:00.000Z", false, "y@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(List.of("10", "11"), liveIds(h, "hubspot_contacts"));
  }

  @Test
  void forcedFullRefreshSweepsAndIncrementalNeverDoes() throws Exception {
    SyncHarness h = new SyncHarness("forcedfull", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "c.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.write("contacts", "c.json", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals("incremental", h.lastRun(contacts).get("strategy"));
    assertEquals(List.of("1", "2"), liveIds(h, "hubspot_contacts"), "an incremental run must not delete by absence");
    assertTrue(h.run(true, contacts).allSucceeded());
    assertEquals("full", h.lastRun(contacts).get("strategy"));
    assertEquals(List.of("1"), liveIds(h, "hubspot_contacts"));
  }
}
