package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.serve.ServeFixture.Answer;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.postgres.FullRefreshSweep;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.postgres.FullRefreshSweep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache invalidation against real sync runs: a stale run landing after a write, a refreshed row
 * compared with the row a sync lands, a destination that is down, a paused or unconfigured sync.
 */
class CacheRefreshTest {
  static SandboxServer sandbox;
  static ServeFixture serve;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme", "globex", "umbrella", "initech"))
        .withRecordsPerObject(5));
    serve = new ServeFixture("serve_refresh", sandbox, List.of(
        ServeFixture.entry(sandbox, "acme", "salesforce", "contacts"),
        ServeFixture.entry(sandbox, "acme", "hubspot", "contacts"),
        ServeFixture.entry(sandbox, "acme", "pipedrive", "contacts"),
        ServeFixture.entry(sandbox, "globex", "hubspot", "contacts"),
        ServeFixture.entry(sandbox, "umbrella", "pipedrive", "contacts"),
        ServeFixture.entry(sandbox, "initech", "hubspot", "contacts")), null);
  }

  @AfterAll
  static void stop() {
    serve.close();
    sandbox.close();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  @Test
  void aPausedOrUnsyncedObjectIsWrittenAndSaysTheCacheWasNotUpdated() throws Exception {
    SyncDefinition paused = SyncDefinition.expand(serve.cfg, List.of("umbrella/pipedrive/persons")).get(0);
    RunLedger ledger = new RunLedger(ServeFixture.SCHEMA);
    try (Connection c = serve.destination.open()) {
      SchemaMigrator.standard().migrate(c, ServeFixture.SCHEMA);
      ledger.ensureState(c, paused.key(), paused.strategy(), ObjectType.STANDARD);
      ledger.pause(c, paused.key(), "paused for the test");
      c.commit();
    }
    Answer p = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Pat\"}}", "umbrella", "pipedrive");
    assertEquals(201, p.status(), p.body().toString());
    assertEquals("cache not updated: sync paused", p.body().path("warnings").path(0).path("title").asText());
    String id = p.body().path("record").path("id").asText();
    assertEquals("Pat", serve.stored("umbrella", "pipedrive", CommonObject.CONTACTS, id, "/first_name"), "the write happened");
    assertTrue(serve.rows("SELECT 1 FROM supaglue.crm_contacts WHERE _supaglue_customer_id = 'umbrella' AND id = ?", id).isEmpty());

    Answer n = serve.call("POST", "/crm/v2/accounts", "{\"record\":{\"name\":\"Not synced\"}}", "globex", "hubspot");
    assertEquals(201, n.status(), n.body().toString());
    assertEquals("cache not updated: not synced", n.body().path("warnings").path(0).path("title").asText());
  }

  @Test
  void aSyncThatReadTheRecordBeforeTheWriteAndLandsAfterItLeavesTheNewerValues(@TempDir Path extracts) throws Exception {
    Answer created = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Old\",\"last_name\":\"Name\"}}", "initech", "hubspot");
    String id = created.body().path("record").path("id").asText();
    // what a sync run reads at this moment: the record exactly as the sync's listing returns it
    JsonNode before = serve.call("GET", "/crm/v2/contacts/" + id + "?include_raw_data=true", null, "initech", "hubspot").body().path("raw_data");
    Thread.sleep(5); // HubSpot stamps in milliseconds: the write below is a later version
    assertEquals(200, serve.call("PATCH", "/crm/v2/contacts/" + id, "{\"record\":{\"first_name\":\"New\"}}", "initech", "hubspot").status());
    assertEquals("New", serve.crmRow("initech", "hubspot", CommonObject.CONTACTS, id).get("first_name"));

    // that run lands now, after the write: its copy is older, so the row keeps the newer values
    Files.createDirectories(extracts.resolve("contacts"));
    Files.writeString(extracts.resolve("contacts").resolve("page-1.json"), "{\"results\":[" + Json.MAPPER.writeValueAsString(before) + "]}");
    SyncDefinition configured = SyncDefinition.expand(serve.cfg, List.of("initech/hubspot/contacts")).get(0);
    SyncDefinition stale = new SyncDefinition(configured.key(), extracts.toString(), configured.rawTable(), null, configured.strategy(), 0,
        CommonObject.CONTACTS);
    SyncJob.Result result = new SyncJob(serve.destination, quiet()).run(List.of(stale), false,
        new String[0]);
    assertTrue(result.allSucceeded());
    assertEquals("New", serve.crmRow("initech", "hubspot", CommonObject.CONTACTS, id).get("first_name"));
    assertTrue(serve.rawData("initech", "hubspot", CommonObject.CONTACTS, id).contains("\"New\""));
  }

  @Test
  void aRefreshedRowIsExactlyTheRowTheSyncLands() throws Exception {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
      Answer a = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Same\",\"last_name\":\"Row\"}}", "acme", provider);
      assertEquals(201, a.status(), a.body().toString());
      ids.put(provider, a.body().path("record").path("id").asText());
    }
    Map<String, Map<String, Object>> refreshed = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : ids.entrySet()) {
      Map<String, Object> row = serve.crmRow("acme", e.getKey(), CommonObject.CONTACTS, e.getValue());
      row.put("raw", serve.rawData("acme", e.getKey(), CommonObject.CONTACTS, e.getValue()));
      refreshed.put(e.getKey(), row);
    }
    List<SyncDefinition> syncs = SyncDefinition.expand(serve.cfg, List.of("acme/salesforce/Contact", "acme/hubspot/contacts",
        "acme/pipedrive/persons"));
    SyncJob.Result result = new SyncJob(serve.destination, quiet()).run(syncs, false, new String[0]);
    assertTrue(result.allSucceeded());
    for (Map.Entry<String, String> e : ids.entrySet()) {
      Map<String, Object> row = serve.crmRow("acme", e.getKey(), CommonObject.CONTACTS, e.getValue());
      row.put("raw", serve.rawData("acme", e.getKey(), CommonObject.CONTACTS, e.getValue()));
      Map<String, Object> mine = refreshed.get(e.getKey());
      mine.remove("_supaglue_emitted_at");
      row.remove("_supaglue_emitted_at");
      assertEquals(mine, row, e.getKey() + ": the sync found nothing to change in the row the refresh wrote");
    }
  }

  @Test
  void whenTheDestinationIsDownTheWriteSucceedsWithAWarningAndTheNextSyncRepairsTheRow() throws Exception {
    PostgresDestination down = PostgresDestination.of("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1", "postgres", "postgres",
        ServeFixture.SCHEMA).withReconnectWindow(Duration.ofSeconds(1));
    try (ServeFixture broken = new ServeFixture("serve_down", sandbox, List.of(ServeFixture.entry(sandbox, "globex", "hubspot", "contacts")), down)) {
      Answer a = broken.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Dee\",\"last_name\":\"Down\"}}", "globex", "hubspot");
      assertEquals(201, a.status(), a.body().toString());
      String id = a.body().path("record").path("id").asText();
      assertFalse(id.isEmpty(), "the new id is not lost");
      assertEquals("cache not updated", a.body().path("warnings").path(0).path("title").asText(), a.body().toString());
      assertEquals("Dee", serve.stored("globex", "hubspot", CommonObject.CONTACTS, id, "/properties/firstname"));
      SyncJob.Result result = new SyncJob(broken.destination, quiet())
          .run(SyncDefinition.expand(broken.cfg, List.of("globex/hubspot/contacts")), false, new String[0]);
      assertTrue(result.allSucceeded());
      assertEquals(1, broken.rows("SELECT 1 FROM supaglue.crm_contacts WHERE _supaglue_customer_id = 'globex' AND id = ? AND first_name = 'Dee'",
          id).size());
    }
  }

  @Test
  void aRecordWrittenWhileAFullRefreshRunsIsNotSweptByIt() throws Exception {
    SyncDefinition def = SyncDefinition.expand(serve.cfg, List.of("globex/hubspot/contacts")).get(0);
    RunLedger ledger = new RunLedger(ServeFixture.SCHEMA);
    long runId;
    Instant emittedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (Connection c = serve.destination.open()) {
      SchemaMigrator.standard().migrate(c, ServeFixture.SCHEMA);
      ledger.ensureState(c, def.key(), def.strategy(), ObjectType.STANDARD);
      runId = ledger.openRun(c, def.key(), RunMode.FULL, emittedAt);
      c.commit();
    }
    // the run has listed the provider's records already; this one is created after that
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Mid\",\"last_name\":\"Run\"}}",
        "globex", "hubspot"));
    PlannedSync run = new PlannedSync(def.key(), RunMode.FULL, runId, emittedAt, null, null, def.rawTable(), null, CommonObject.CONTACTS,
        null, def.api());
    try (Connection c = serve.destination.open()) {
      for (String table : run.tables()) FullRefreshSweep.sweep(c, ServeFixture.SCHEMA, run, table);
      c.commit();
    }
    assertEquals("f", serve.crmRow("globex", "hubspot", CommonObject.CONTACTS, id).get("is_deleted"), "the sweep spared the new row");
    assertEquals(1, serve.rows("SELECT 1 FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'globex' AND _supaglue_id = ?"
        + " AND NOT _supaglue_is_deleted", id).size());
  }
}
