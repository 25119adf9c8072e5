package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.StreamJob;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.notify.SyncPausedEvent;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API of {@code serve} against the real PostgreSQL and the HubSpot emulator over
 * HTTP: triggered runs (full refresh, one meeting a running run), pause and resume, the run history
 * with its filters and pages, and requests it refuses without changing anything.
 */
class MgmtApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY = "mgmt-test-key";
  private static final String APP = "mgmt-app";
  @TempDir Path dir;
  SandboxServer crm;
  String url;
  Path config;
  SyncbeamConfig cfg;
  PostgresDestination destination;
  SyncTrigger trigger;
  ServeServer server;

  @BeforeEach
  void setUp() throws Exception {
    crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(30).withPageSize(10));
    url = SharedTestPostgres.freshDatabase("mgmt");
    SandboxCredentials hs = crm.credentials("acme", "hubspot");
    config = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + APP + "\n"
        + "destination:\n  url: \"" + url + "\"\n  user: postgres\n  password: postgres\n"
        + "serve:\n  port: 0\n  api_keys: [" + KEY + "]\n"
        + "webhook:\n  url: http://127.0.0.1:1/hooks\n  secret: whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]) + "\n"
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    standard_objects: [contacts, companies]\n"
        + "    source:\n      api:\n        base_url: \"" + hs.baseUrl() + "\"\n        token: \"" + hs.accessToken() + "\"\n");
    cfg = ConfigLoader.fromEnvironment().load(config);
    // as serve opens it: with a webhook configured, pauses and run ends record their events
    destination = PostgresDestination.of(url, "postgres", "postgres", "supaglue").withWebhookEvents(cfg.webhook() != null);
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, "supaglue");
      c.commit();
    }
    trigger = new SyncTrigger(destination, new String[] {"--enforceImmutability=true", "--enforceEncodability=true"}, System.out);
    server = ServeServer.start(cfg.serve(), ServeRoutes.standard(cfg, destination, trigger));
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    trigger.close();
    crm.close();
  }

  // ---------------------------------------------------------------- helpers

  private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final Map<String, String> ACME = Map.of("x-api-key", KEY, "x-customer-id", "acme", "x-provider-name", "hubspot");

  private JsonNode post(String action, String body) throws Exception {
    HttpResponse<String> r = send("POST", "/mgmt/v2/syncs/" + action, body, ACME);
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null, Map.of("x-api-key", KEY));
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private static String body(String object) {
    return "{\"object_type\": \"standard\", \"object\": \"" + object + "\"}";
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> runs() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT object_name || ' ' || strategy || ' ' || status FROM supaglue._syncbeam_sync_runs ORDER BY run_id")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) return;
      Thread.sleep(100);
    }
    throw new AssertionError(what + " did not happen within 60s");
  }

  /** Triggers and waits until that trigger's run (or its skip) is over. */
  private JsonNode triggerAndWait(String body) throws Exception {
    JsonNode sync = post("_trigger", body);
    await("the triggered run to end", () -> trigger.running() == 0
        && count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'") == 0);
    return sync;
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aTriggerWithFullRefreshRunsFullAndSweepsAndAPlainOneRunsIncrementally() throws Exception {
    JsonNode sync = triggerAndWait(body("contacts"));
    assertEquals(new SyncKey(APP, "hubspot", "acme", "contacts").syncId(), sync.get("id").asText());
    assertEquals("standard", sync.get("object_type").asText());
    assertFalse(sync.get("paused").asBoolean());
    assertEquals(List.of("contacts full SUCCESS"), runs());
    long live = count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted");
    assertEquals(30, live);
    // a row the provider does not have: only a full refresh can tell
    count("WITH g AS (INSERT INTO supaglue.hubspot_contacts SELECT _supaglue_application_id, _supaglue_provider_name,"
        + " _supaglue_customer_id, 'gone-1', _supaglue_emitted_at, _supaglue_last_modified_at, false, _supaglue_raw_data,"
        + " _supaglue_mapped_data FROM supaglue.hubspot_contacts LIMIT 1 RETURNING 1) SELECT count(*) FROM g");

    triggerAndWait(body("contacts"));
    assertEquals(0, count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_id = 'gone-1' AND _supaglue_is_deleted"),
        "an incremental run sweeps nothing");
    triggerAndWait("{\"object_type\": \"standard\", \"object\": \"contacts\", \"perform_full_refresh\": true}");
    assertEquals(List.of("contacts full SUCCESS", "contacts incremental SUCCESS", "contacts full SUCCESS"), runs());
    assertEquals(1, count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_id = 'gone-1' AND _supaglue_is_deleted"));
    assertEquals(live, count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"));
  }

  @Test
  void aTriggerThatMeetsARunningRunStartsNoOtherAndItsFullRefreshGoesToTheNextRun() throws Exception {
    triggerAndWait(body("contacts"));
    crm.faults("acme", "hubspot").slowDelay(Duration.ofMillis(800)).next(6, Fault.SLOW);
    post("_trigger", body("contacts"));
    await("a run in progress", () -> count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'") == 1);
    JsonNode second = post("_trigger", "{\"object_type\": \"standard\", \"object\": \"contacts\", \"perform_full_refresh\": true}");
    assertTrue(second.get("full_refresh_requested").asBoolean(), second.toString());
    await("both triggers to be done", () -> trigger.running() == 0
        && count("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'") == 0);
    assertEquals(List.of("contacts full SUCCESS", "contacts incremental SUCCESS"), runs(), "no second run started");
    JsonNode listed = get("/mgmt/v2/syncs?object_type=standard&object=contacts");
    assertEquals(1, listed.get("total_count").asLong());
    assertTrue(listed.get("results").get(0).get("full_refresh_requested").asBoolean(), "the request waits for the next run");

    crm.faults("acme", "hubspot").clear();
    triggerAndWait(body("contacts"));
    assertEquals("contacts full SUCCESS", runs().get(2), "the next run is the requested full refresh");
    assertFalse(get("/mgmt/v2/syncs?object_type=standard&object=contacts").get("results").get(0).get("full_refresh_requested").asBoolean());
  }

  @Test
  void aPausedSyncIsSkippedByTriggerSyncAndStreamUntilResumed() throws Exception {
    JsonNode paused = post("_pause", body("companies"));
    assertTrue(paused.get("paused").asBoolean());
    assertEquals(SyncPausedEvent.MANUAL, paused.get("pause_reason").asText());
    JsonNode triggered = post("_trigger", body("companies"));
    assertTrue(triggered.get("paused").asBoolean(), "the trigger answers with the paused sync");
    assertEquals(0, trigger.running(), "no run was started");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    try (PrintStream o = new PrintStream(out, true)) {
      System.setOut(o); // the command prints its lines to System.out
      status = SyncbeamCli.run(new String[] {"sync", "--config", config.toString(), "--only", "acme/hubspot/companies"},
          o, new PrintStream(new ByteArrayOutputStream(), true));
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, status, out.toString());
    assertTrue(out.toString().contains("acme/hubspot/companies") && out.toString().contains("paused (" + SyncPausedEvent.MANUAL + "): skipped"),
        out.toString());
    assertEquals(List.of(), runs(), "neither the trigger nor the sync ran it");

    // a stream of both syncs runs the other one and leaves the paused one alone
    StreamJob stream = new StreamJob(destination, new PrintStream(new ByteArrayOutputStream(), true), Duration.ofSeconds(30));
    Thread streaming = new Thread(() -> {
      try {
        stream.run(SyncDefinition.expand(cfg, List.of()), RunnerOptions.parse(new String[0]));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "test-stream");
    streaming.start();
    try {
      await("the stream's run of contacts", () -> runs().contains("contacts full SUCCESS"));
    } finally {
      stream.stop(Duration.ofSeconds(10));
      streaming.join(30_000);
    }
    assertEquals(List.of("contacts full SUCCESS"), runs(), "the stream did not run the paused sync");
    post("_pause", body("companies")); // pausing again changes nothing, and tells nobody again
    assertEquals(1, count("SELECT count(*) FROM supaglue._syncbeam_webhook_outbox WHERE event_type = 'sync.paused'"
        + " AND body::jsonb->>'pause_reason' = '" + SyncPausedEvent.MANUAL + "' AND body::jsonb->>'object' = 'companies'"));

    JsonNode resumed = post("_resume", body("companies"));
    assertFalse(resumed.get("paused").asBoolean());
    triggerAndWait(body("companies"));
    assertEquals(List.of("contacts full SUCCESS", "companies full SUCCESS"), runs());
  }

  @Test
  void runsAreListedNewestFirstWithEachFilterAndInPages() throws Exception {
    triggerAndWait(body("contacts"));
    triggerAndWait(body("companies"));
    triggerAndWait(body("contacts"));
    JsonNode all = get("/mgmt/v2/sync-runs");
    assertEquals(3, all.get("total_count").asLong());
    List<Long> ids = new ArrayList<>();
    all.get("results").forEach(r -> ids.add(r.get("id").asLong()));
    assertTrue(ids.get(0) > ids.get(1) && ids.get(1) > ids.get(2), "newest first: " + ids);
    JsonNode newest = all.get("results").get(0);
    assertEquals("contacts", newest.get("object").asText());
    assertEquals("incremental", newest.get("strategy").asText());
    assertEquals("SUCCESS", newest.get("status").asText());
    assertEquals(new SyncKey(APP, "hubspot", "acme", "contacts").syncId(), newest.get("sync_id").asText());
    assertNotNull(newest.get("end_timestamp").textValue());
    assertTrue(all.get("results").get(2).get("num_records_synced").asLong() == 30, all.toString());

    JsonNode first = get("/mgmt/v2/sync-runs?page_size=2");
    assertEquals(2, first.get("results").size());
    assertTrue(first.get("previous").isNull());
    JsonNode second = get("/mgmt/v2/sync-runs?page_size=2&cursor=" + first.get("next").asText());
    assertEquals(1, second.get("results").size());
    assertEquals(ids.get(2), second.get("results").get(0).get("id").asLong());
    assertTrue(second.get("next").isNull());
    assertEquals(ids.get(0), get("/mgmt/v2/sync-runs?page_size=2&cursor=" + second.get("previous").asText())
        .get("results").get(0).get("id").asLong());

    Map<String, Long> expected = new java.util.LinkedHashMap<>();
    expected.put("object_type=standard&object=companies", 1L);
    expected.put("object_type=custom", 0L);
    expected.put("customer_id=acme", 3L);
    expected.put("customer_id=globex", 0L);
    expected.put("provider_name=hubspot", 3L);
    expected.put("provider_name=salesforce", 0L);
    expected.put("status=SUCCESS", 3L);
    expected.put("status=FAILURE", 0L);
    expected.put("start_timestamp=" + enc(">2000-01-01T00:00:00Z"), 3L);
    expected.put("start_timestamp=" + enc("<2000-01-01T00:00:00Z"), 0L);
    expected.put("end_timestamp=" + enc("<2100-01-01T00:00:00Z"), 3L);
    expected.put("end_timestamp=" + enc(">2100-01-01T00:00:00Z"), 0L);
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      JsonNode page = get("/mgmt/v2/sync-runs?" + e.getKey());
      assertEquals(e.getValue(), page.get("total_count").asLong(), e.getKey());
      assertEquals(e.getValue(), page.get("results").size(), e.getKey());
    }

    JsonNode syncs = get("/mgmt/v2/syncs?page_size=1");
    assertEquals(2, syncs.get("total_count").asLong());
    assertEquals(1, syncs.get("results").size());
    assertEquals(1, get("/mgmt/v2/syncs?cursor=" + syncs.get("next").asText()).get("results").size());
    assertEquals(0, get("/mgmt/v2/syncs?customer_id=globex").get("total_count").asLong());
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @Test
  void refusedRequestsSayWhyAndChangeNothing() throws Exception {
    record Refusal(String method, String path, String body, Map<String, String> headers, int status, String code, String detailPart) {}
    Map<String, String> key = Map.of("x-api-key", KEY);
    List<Refusal> refusals = List.of(
        new Refusal("GET", "/mgmt/v2/syncs", null, Map.of(), 401, "UNAUTHORIZED_ERROR", "missing x-api-key"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", body("contacts"), Map.of("x-api-key", "wrong", "x-customer-id", "acme",
            "x-provider-name", "hubspot"), 401, "UNAUTHORIZED_ERROR", "invalid x-api-key"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", body("contacts"), key, 401, "UNAUTHORIZED_ERROR", "x-customer-id"),
        new Refusal("POST", "/mgmt/v2/syncs/_pause", body("contacts"), Map.of("x-api-key", KEY, "x-customer-id", "globex",
            "x-provider-name", "hubspot"), 404, "NOT_FOUND_ERROR", "globex"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", body("deals"), ACME, 404, "NOT_FOUND_ERROR", "'deals'"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", "{\"object_type\": \"standard\"", ACME, 400, "VALIDATION_ERROR", "not JSON"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", "{\"object_type\": \"standard\", \"objekt\": \"contacts\"}", ACME, 400,
            "VALIDATION_ERROR", "objekt"),
        new Refusal("POST", "/mgmt/v2/syncs/_trigger", "{\"object_type\": \"standard\", \"object\": \"contacts\", \"perform_full_refresh\": \"yes\"}",
            ACME, 400, "VALIDATION_ERROR", "perform_full_refresh"),
        new Refusal("POST", "/mgmt/v2/syncs/_pause", "{\"object_type\": \"common\", \"object\": \"contacts\"}", ACME, 400,
            "BAD_REQUEST", "object_type"),
        new Refusal("POST", "/mgmt/v2/syncs/_resume", "{\"object_type\": \"standard\", \"object\": \"contacts\", \"perform_full_refresh\": true}",
            ACME, 400, "VALIDATION_ERROR", "perform_full_refresh"),
        new Refusal("GET", "/mgmt/v2/sync-runs?status=DONE", null, key, 400, "BAD_REQUEST", "status"),
        new Refusal("GET", "/mgmt/v2/sync-runs?start_timestamp=2024-01-01", null, key, 400, "BAD_REQUEST", "start_timestamp"),
        new Refusal("GET", "/mgmt/v2/sync-runs?page_size=0", null, key, 400, "BAD_REQUEST", "page_size"),
        new Refusal("GET", "/mgmt/v2/sync-runs?page_size=1001", null, key, 400, "BAD_REQUEST", "page_size"),
        new Refusal("GET", "/mgmt/v2/sync-runs?cursor=bm9wZQ", null, key, 400, "BAD_REQUEST", "cursor"),
        new Refusal("GET", "/mgmt/v2/sync-runs?statuss=SUCCESS", null, key, 400, "BAD_REQUEST", "statuss"),
        new Refusal("GET", "/mgmt/v2/syncs?object=contacts", null, key, 400, "BAD_REQUEST", "object_type and object"));
    for (Refusal r : refusals) {
      HttpResponse<String> response = send(r.method(), r.path(), r.body(), r.headers());
      String what = r.method() + " " + r.path() + " " + r.body() + " " + r.headers().keySet() + ": " + response.body();
      assertEquals(r.status(), response.statusCode(), what);
      JsonNode error = Json.MAPPER.readTree(response.body()).get("errors").get(0);
      assertEquals(r.code(), error.get("code").asText(), what);
      assertEquals(Integer.toString(r.status()), error.get("status").asText(), what);
      assertTrue(error.get("detail").asText().contains(r.detailPart()), what);
    }
    Thread.sleep(500); // a wrongly started run would have opened its record by now
    assertEquals(0, trigger.running());
    assertEquals(List.of(), runs());
    assertEquals(0, count("SELECT count(*) FROM supaglue._syncbeam_sync_state"), "no sync state was made");
  }
}
