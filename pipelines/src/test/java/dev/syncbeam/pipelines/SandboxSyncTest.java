package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over HTTP: the real pipeline reads the local emulators of all three providers over
 * HTTP and the tables must equal the emulators' state exactly, with and without faults.
 */
class SandboxSyncTest {
  static final List<String> CUSTOMERS = List.of("acme", "globex", "initech");
  static final Map<String, List<String>> OBJECTS = Map.of(
      "salesforce", List.of("Account", "Contact", "User", "Invoice__c"),
      "hubspot", List.of("companies", "contacts", "deals", "owners"),
      "pipedrive", List.of("persons", "organizations", "deals"));
  static SandboxServer server;
  static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
  static PrintStream savedOut, savedErr;
  @TempDir Path root;

  @BeforeAll
  static void start() {
    server = SandboxServer.start(SandboxConfig.defaults().withCustomers(CUSTOMERS).withRecordsPerObject(40).withPageSize(25));
    // every line this class prints or logs is kept, so the test can prove no secret is among them
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(new Tee(savedOut, LOGS), true));
    System.setErr(new PrintStream(new Tee(savedErr, LOGS), true));
  }

  @AfterAll
  static void stop() {
    System.setOut(savedOut);
    System.setErr(savedErr);
    String logs = LOGS.toString();
    for (SandboxCredentials c : server.credentials()) {
      for (String secret : new String[] {c.accessToken(), c.apiToken(), c.refreshToken(), c.clientSecret()}) {
        if (secret != null) assertFalse(logs.contains(secret), "a secret of " + c.customer() + "/" + c.provider() + " was logged");
      }
    }
    assertFalse(logs.matches("(?s).*sandbox-(salesforce|hubspot|pipedrive)-[a-z]+-(access-\\d+|refresh|secret|api-token).*"),
        "no sandbox token of any generation in the logs");
    assertTrue(logs.contains("retrying"), "the fault runs did log their retries (so the capture worked)");
    server.close();
  }

  static ApiSource api(String customer, String provider) {
    return SandboxSources.of(server.credentials(customer, provider), 8, 20);
  }

  static List<SyncDefinition> syncs(String... onlyCustomers) {
    List<SyncDefinition> out = new ArrayList<>();
    for (String customer : onlyCustomers.length > 0 ? List.of(onlyCustomers) : CUSTOMERS) {
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        for (String object : OBJECTS.get(provider)) {
          SyncKey key = new SyncKey(SyncHarness.APP, provider, customer, object);
          String table = ObjectTables.standardTableName(provider, object);
          SyncDefinition def = object.endsWith("__c")
              ? new SyncDefinition(key, null, ObjectTables.CUSTOM_OBJECTS, table, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
              : new SyncDefinition(key, null, table, null, RunModePolicy.FULL_THEN_INCREMENTAL, 0);
          if (provider.equals("hubspot") && object.equals("contacts")) def = def.withCommonObject(CommonObject.CONTACTS);
          out.add(def.withApi(api(customer, provider)));
        }
      }
    }
    return out;
  }

  /** The live records of every synced object, as id → last-modified millis, straight from the emulators. */
  static Map<String, Long> expectedLive(List<SyncDefinition> syncs) {
    Map<String, Long> out = new TreeMap<>();
    for (SyncDefinition s : syncs) {
      for (JsonNode r : server.dataset().live(s.key().customerId(), s.key().provider(), s.key().object())) {
        var p = Providers.get(s.key().provider()).records();
        out.put(s.key().label() + "#" + p.id(r), p.lastModified(r).toEpochMilli());
      }
    }
    return out;
  }

  static Map<String, Long> actualLive(SyncHarness h, List<SyncDefinition> syncs, boolean deleted) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (SyncDefinition s : syncs) {
      String where = " WHERE _supaglue_customer_id = ? AND _supaglue_provider_name = ?"
          + (s.custom() ? " AND _supaglue_object_name = '" + s.customObjectName() + "'" : "")
          + " AND _supaglue_is_deleted = " + deleted;
      for (Map<String, Object> r : h.rows("SELECT _supaglue_id AS id, (extract(epoch FROM _supaglue_last_modified_at) * 1000)::bigint AS lm FROM supaglue."
          + s.rawTable() + where, s.key().customerId(), s.key().provider())) {
        out.put(s.key().label() + "#" + r.get("id"), ((Number) r.get("lm")).longValue());
      }
    }
    return out;
  }

  static List<String> expectedDeleted(List<SyncDefinition> syncs) {
    List<String> out = new ArrayList<>();
    for (SyncDefinition s : syncs) {
      server.dataset().deletedIds(s.key().customerId(), s.key().provider(), s.key().object())
          .forEach(id -> out.add(s.key().label() + "#" + id));
    }
    return out;
  }

  @Test
  void fullSyncThenChangesAndAnIncrementalEqualTheEmulatorsExactly() throws Exception {
    SyncHarness h = new SyncHarness("sandbox_sync", root);
    List<SyncDefinition> syncs = syncs();
    assertTrue(h.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());
    assertEquals(expectedLive(syncs), actualLive(h, syncs, false));

    // changes at the providers: updates, deletions, new records, and a restore
    for (String customer : CUSTOMERS) {
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        for (String object : OBJECTS.get(provider)) {
          if (object.equals("User") || object.equals("owners")) continue; // read-only objects
          List<String> live = server.dataset().liveIds(customer, provider, object);
          server.dataset().touch(customer, provider, object, 3);
          for (int i = live.size() - 2; i < live.size(); i++) server.dataset().delete(customer, provider, object, live.get(i));
          server.dataset().generate(customer, provider, object, 2);
        }
      }
    }
    // and a restore: a contact archived before the full run comes back, through HubSpot's API
    String restored = server.dataset().deletedIds("acme", "hubspot", "contacts").get(0);
    new dev.syncbeam.transforms.providers.http.ApiClient("hubspot", api("acme", "hubspot"))
        .postJson("/crm/v3/objects/contacts/" + restored + "/restore", Map.of());
    assertTrue(server.dataset().liveIds("acme", "hubspot", "contacts").contains(restored));
    assertTrue(h.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());
    assertEquals("incremental", h.lastRun(syncs.get(1)).get("strategy"));
    assertEquals(false, h.scalar("SELECT _supaglue_is_deleted FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'acme'"
        + " AND _supaglue_id = ?", restored).orElseThrow(), "the restored contact is live again");
    assertEquals(expectedLive(syncs), actualLive(h, syncs, false));
    List<String> deletedRows = new ArrayList<>(actualLive(h, syncs, true).keySet());
    assertTrue(expectedDeleted(syncs).containsAll(deletedRows), "every deleted row is deleted at the provider");
    // the contacts changed since the full run came through search, which carries no associations:
    // their account must still be their company
    for (String customer : CUSTOMERS) {
      Map<String, String> expectedAccount = new TreeMap<>(), actualAccount = new TreeMap<>();
      for (JsonNode r : server.dataset().live(customer, "hubspot", "contacts")) {
        JsonNode first = r.path("associations").path("companies").path("results").path(0);
        expectedAccount.put(r.path("id").asText(), first.isMissingNode() ? null : first.path("id").asText());
      }
      for (Map<String, Object> r : h.rows("SELECT id, account_id FROM supaglue.crm_contacts WHERE _supaglue_customer_id = ?"
          + " AND _supaglue_provider_name = 'hubspot' AND NOT is_deleted", customer)) {
        actualAccount.put((String) r.get("id"), (String) r.get("account_id"));
      }
      assertEquals(expectedAccount, actualAccount, customer);
      assertTrue(expectedAccount.values().stream().filter(java.util.Objects::nonNull).count() > 0, "the sample has associations");
    }
    // crm_contacts followed hubspot_contacts from the same reads
    assertEquals(h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"),
        h.count("SELECT count(*) FROM supaglue.crm_contacts WHERE NOT is_deleted AND _supaglue_provider_name = 'hubspot'"));
  }

  @Test
  void underInjectedFaultsTheSyncLandsTheSameTables() throws Exception {
    List<SyncDefinition> syncs = syncs("globex");
    SyncHarness clean = new SyncHarness("sandbox_clean", root.resolve("a"));
    assertTrue(clean.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());

    server.faults().retryAfterSeconds(1).next(4, Fault.HTTP_429).next(3, Fault.HTTP_500).next(3, Fault.DROPPED_CONNECTION)
        .next(3, Fault.TRUNCATED_BODY).withProbability(0.08, 7, Fault.HTTP_500);
    server.faults("globex", "hubspot").expireAccessTokens();
    server.faults("globex", "salesforce").expireAccessTokens();
    SyncHarness faulty = new SyncHarness("sandbox_faulty", root.resolve("b"));
    try {
      assertTrue(faulty.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());
    } finally {
      server.faults().clear();
    }
    for (String table : List.of("salesforce_account", "salesforce_contact", "salesforce_user", "custom_objects", "hubspot_companies",
        "hubspot_contacts", "hubspot_deals", "hubspot_owners", "pipedrive_persons", "pipedrive_organizations", "pipedrive_deals", "crm_contacts")) {
      assertEquals(clean.contents(table), faulty.contents(table), table);
    }
  }

  @Test
  void aRevokedTokenPausesItsSyncsAndMarksNothingDeleted() throws Exception {
    SyncHarness h = new SyncHarness("sandbox_revoked", root);
    List<SyncDefinition> syncs = syncs("initech");
    assertTrue(h.run(false, syncs.toArray(SyncDefinition[]::new)).allSucceeded());
    long liveBefore = h.count("SELECT count(*) FROM supaglue.hubspot_companies WHERE NOT _supaglue_is_deleted");
    server.faults("initech", "hubspot").revokeCredentials();
    try {
      assertFalse(h.run(true, syncs.toArray(SyncDefinition[]::new)).allSucceeded());
    } finally {
      server.faults("initech", "hubspot").restoreCredentials();
    }
    SyncDefinition companies = syncs.stream().filter(s -> s.key().object().equals("companies")).findFirst().orElseThrow();
    assertEquals("FAILURE", h.lastRun(companies).get("status"));
    String error = String.valueOf(h.lastRun(companies).get("error"));
    assertTrue(error.contains("initech/hubspot/companies") && (error.contains("401") || error.contains("refresh")), error);
    assertEquals(liveBefore, h.count("SELECT count(*) FROM supaglue.hubspot_companies WHERE NOT _supaglue_is_deleted"));
    assertEquals(true, h.scalar("SELECT paused FROM supaglue._syncbeam_sync_state WHERE customer_id = 'initech' AND object_name = 'companies'"
        + " AND provider_name = 'hubspot'").orElseThrow());
    SyncDefinition account = syncs.get(0);
    assertEquals("SUCCESS", h.lastRun(account).get("status"), "other providers of the customer go on");

    // the next run skips the paused sync until it is resumed
    long runsBefore = h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE object_name = 'companies' AND customer_id = 'initech'");
    h.run(false, companies);
    assertEquals(runsBefore, h.count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE object_name = 'companies' AND customer_id = 'initech'"));
    new SyncJob(h.destination, System.out).resume(List.of(companies));
    assertTrue(h.run(false, companies).allSucceeded());
  }

  @Test
  void anIncrementalOverMoreThanTenThousandChangesFallsBackAndMissesNone() throws Exception {
    // its own server, with HubSpot's real page size: 10,000 records in 15-record pages would only test patience
    try (SandboxServer big = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(20)
        .withPageSize(100))) {
      SandboxCredentials c = big.credentials("acme", "hubspot");
      SyncDefinition contacts = new SyncDefinition(new SyncKey(SyncHarness.APP, "hubspot", "acme", "contacts"), null,
          "hubspot_contacts", null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
          .withApi(SandboxSources.of(c, 8, 20));
      SyncHarness h = new SyncHarness("sandbox_searchcap", root);
      assertTrue(h.run(false, contacts).allSucceeded());
      big.dataset().generate("acme", "hubspot", "contacts", 10_050);
      assertTrue(h.run(false, contacts).allSucceeded());
      assertEquals("incremental", h.lastRun(contacts).get("strategy"));
      Map<String, Long> expected = new TreeMap<>();
      var hubspot = Providers.get("hubspot").records();
      for (JsonNode r : big.dataset().live("acme", "hubspot", "contacts")) {
        expected.put("acme/hubspot/contacts#" + hubspot.id(r), hubspot.lastModified(r).toEpochMilli());
      }
      assertEquals(10_070 - big.dataset().deletedIds("acme", "hubspot", "contacts").size(), expected.size());
      assertEquals(expected, actualLive(h, List.of(contacts), false));
    }
  }

  /** Copies everything written to both the real stream and the capture. */
  static final class Tee extends OutputStream {
    private final OutputStream a, b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
