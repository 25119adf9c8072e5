package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.RequestStats;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delete check against the emulators: it asks for ids only, marks exactly the records the
 * provider deleted, leaves every other row's tuple alone, and marks nothing when a page fails.
 */
class DeleteCheckTest {
  static SandboxServer server;
  @TempDir Path root;

  @BeforeAll
  static void start() {
    server = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(40).withPageSize(25));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SyncDefinition sync(String provider, String object) {
    SyncKey key = new SyncKey(SyncHarness.APP, provider, "acme", object);
    return new SyncDefinition(key, null, ObjectTables.standardTableName(provider, object), null,
        RunModePolicy.FULL_THEN_INCREMENTAL, 0).withApi(SandboxSources.of(server.credentials("acme", provider), 2, 10));
  }

  private static Set<String> deletedRows(SyncHarness h, String table) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (Map<String, Object> r : h.rows("SELECT _supaglue_id FROM supaglue." + table + " WHERE _supaglue_is_deleted ORDER BY 1")) {
      ids.add((String) r.get("_supaglue_id"));
    }
    return ids;
  }

  @Test
  void marksExactlyTheProviderDeletedRecordsFromIdsAloneAndNothingWhenAPageFails() throws Exception {
    SyncHarness h = new SyncHarness("delete_check", root);
    SyncDefinition contacts = sync("hubspot", "contacts");
    SyncDefinition sfContacts = sync("salesforce", "Contact");
    assertTrue(h.run(false, contacts, sfContacts).allSucceeded());
    String tuples = "SELECT string_agg(_supaglue_id || ':' || xmin::text, ',' ORDER BY _supaglue_id) FROM supaglue.";
    Object hubspotBefore = h.scalar(tuples + "hubspot_contacts").orElseThrow();

    Set<String> hubspotKept = deletedRows(h, "hubspot_contacts");
    Set<String> salesforceKept = deletedRows(h, "salesforce_contact");
    Set<String> newlyGone = new TreeSet<>();
    for (String[] po : new String[][] {{"hubspot", "contacts"}, {"salesforce", "Contact"}}) {
      List<String> live = server.dataset().liveIds("acme", po[0], po[1]);
      for (int i = 0; i < 3; i++) {
        server.dataset().delete("acme", po[0], po[1], live.get(i * 7));
        if (po[0].equals("hubspot")) newlyGone.add(live.get(i * 7));
      }
    }

    // a page that cannot be read (every attempt answered 500) fails the check: nothing is marked
    server.faults("acme", "hubspot").next(50, Fault.HTTP_500);
    assertFalse(h.runDeleteCheck(contacts).allSucceeded());
    server.faults("acme", "hubspot").clear();
    assertEquals(hubspotKept, deletedRows(h, "hubspot_contacts"), "a failed delete check marks nothing");
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_seen_keys"), "a failed run leaves no seen keys");

    server.resetStats("acme", "hubspot");
    server.resetStats("acme", "salesforce");
    assertTrue(h.runDeleteCheck(contacts, sfContacts).allSucceeded());
    assertEquals(new TreeSet<>(server.dataset().deletedIds("acme", "hubspot", "contacts")), deletedRows(h, "hubspot_contacts"));
    assertEquals(new TreeSet<>(server.dataset().deletedIds("acme", "salesforce", "Contact")), deletedRows(h, "salesforce_contact"));
    assertEquals(hubspotKept.size() + 3, deletedRows(h, "hubspot_contacts").size());
    assertEquals(salesforceKept.size() + 3, deletedRows(h, "salesforce_contact").size());

    RequestStats hubspot = server.stats("acme", "hubspot");
    RequestStats salesforce = server.stats("acme", "salesforce");
    // the run record reports what the check cost at the API: exactly the answers the emulator gave
    assertEquals(hubspot.totalRequests(), h.count("SELECT api_requests FROM supaglue._syncbeam_sync_runs WHERE strategy = 'delete_check'"
        + " AND status = 'SUCCESS' AND provider_name = 'hubspot'"));
    assertEquals(hubspot.responseBytes(), h.count("SELECT api_bytes FROM supaglue._syncbeam_sync_runs WHERE strategy = 'delete_check'"
        + " AND status = 'SUCCESS' AND provider_name = 'hubspot'"));
    assertEquals(Set.of("hs_object_id"), hubspot.fieldsRequested("contacts"), "HubSpot was asked for the id property alone");
    assertEquals(Set.of("Id"), salesforce.fieldsRequested("Contact"), "Salesforce was asked for Id only");
    // the rows still live were not rewritten: only the swept ones got new tuples
    String after = (String) h.scalar(tuples + "hubspot_contacts").orElseThrow();
    Set<String> changed = new TreeSet<>();
    List<String> before = List.of(((String) hubspotBefore).split(","));
    List<String> now = List.of(after.split(","));
    for (int i = 0; i < before.size(); i++) if (!before.get(i).equals(now.get(i))) changed.add(before.get(i).split(":")[0]);
    assertEquals(newlyGone, changed, "only the rows the check swept have new tuples");
    assertEquals(0, h.count("SELECT count(*) FROM supaglue._syncbeam_seen_keys"));
  }
}
