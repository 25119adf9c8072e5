package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.serve.ServeFixture.Answer;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.Fault;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveWrites;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The actions API end to end: serve on an ephemeral port writes to the sandbox emulators over
 * HTTP and refreshes a real PostgreSQL; each case checks the emulator, the raw table and crm_*.
 */
class CrmWritesTest {
  static SandboxServer sandbox;
  static ServeFixture serve;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme", "globex"))
        .withRecordsPerObject(5));
    String[] all = {"accounts", "contacts", "leads", "opportunities"};
    serve = new ServeFixture("serve_writes", sandbox, List.of(
        ServeFixture.entry(sandbox, "acme", "salesforce", all),
        ServeFixture.entry(sandbox, "acme", "hubspot", "accounts", "contacts", "opportunities"),
        ServeFixture.entry(sandbox, "acme", "pipedrive", all),
        ServeFixture.entry(sandbox, "globex", "hubspot", "contacts")), null);
  }

  @AfterAll
  static void stop() {
    serve.close();
    sandbox.close();
  }

  private static String path(String provider, String hubspot, String other) {
    return provider.equals("hubspot") ? hubspot : other;
  }

  @ParameterizedTest
  @ValueSource(strings = {"salesforce", "hubspot", "pipedrive"})
  void createAndUpdateAContactLandAtTheProviderAndInBothTablesAtOnce(String provider) throws Exception {
    Answer created = serve.call("POST", "/crm/v2/contacts", """
        {"record":{"first_name":"Ann","last_name":"Lee","email_addresses":[{"email_address":"ann@lee.example","email_address_type":"primary"}],
         "phone_numbers":[{"phone_number":"+1 555 0100","phone_number_type":"primary"}]}}""", "acme", provider);
    String id = ServeFixture.createdId(created);
    assertFalse(created.body().has("warnings"), created.body().toString());
    CommonObject c = CommonObject.CONTACTS;
    switch (provider) {
      case "salesforce" -> {
        assertEquals("Ann", serve.stored("acme", provider, c, id, "/FirstName"));
        assertEquals("ann@lee.example", serve.stored("acme", provider, c, id, "/Email"));
        assertEquals("+1 555 0100", serve.stored("acme", provider, c, id, "/Phone"));
        assertEquals("", serve.stored("acme", provider, c, id, "/MobilePhone"), "a present list clears what it lacks");
      }
      case "hubspot" -> {
        assertEquals("Ann", serve.stored("acme", provider, c, id, "/properties/firstname"));
        assertEquals("ann@lee.example", serve.stored("acme", provider, c, id, "/properties/email"));
        assertEquals("", serve.stored("acme", provider, c, id, "/properties/work_email"));
      }
      default -> {
        assertEquals("Ann Lee", serve.stored("acme", provider, c, id, "/name"));
        assertEquals("ann@lee.example", serve.stored("acme", provider, c, id, "/email/0/value"));
        assertEquals("primary", serve.stored("acme", provider, c, id, "/email/0/label"));
      }
    }
    Map<String, Object> row = serve.crmRow("acme", provider, c, id);
    assertEquals("Ann", row.get("first_name"));
    assertEquals("Lee", row.get("last_name"));
    JsonNode emails = Json.MAPPER.readTree((String) row.get("email_addresses"));
    assertEquals(Json.MAPPER.readTree("[{\"email_address\":\"ann@lee.example\",\"email_address_type\":\"primary\"}]"), emails);
    assertTrue(serve.rawData("acme", provider, c, id).contains("Ann"));

    Answer updated = serve.call("PATCH", "/crm/v2/contacts/" + id, "{\"record\":{\"first_name\":\"Bea\",\"last_name\":\"Lee\"}}",
        "acme", provider);
    assertEquals(200, updated.status(), updated.body().toString());
    assertEquals(Json.MAPPER.createObjectNode(), updated.body());
    assertEquals("Bea", serve.stored("acme", provider, c, id, path(provider, "/properties/firstname", provider.equals("salesforce") ? "/FirstName" : "/first_name")));
    assertEquals("Bea", serve.crmRow("acme", provider, c, id).get("first_name"));
    String raw = serve.rawData("acme", provider, c, id);
    assertTrue(raw.contains("Bea") && !raw.contains("\"Ann\""), raw);
    assertEquals("ann@lee.example", Json.MAPPER.readTree((String) serve.crmRow("acme", provider, c, id).get("email_addresses"))
        .path(0).path("email_address").asText(), "fields the update did not name are kept");

    // half a name: the other half stays (Pipedrive keeps one name field, so serve reads it first)
    assertEquals(200, serve.call("PATCH", "/crm/v2/contacts/" + id, "{\"record\":{\"first_name\":\"Cy\"}}", "acme", provider).status());
    assertEquals("Cy", serve.crmRow("acme", provider, c, id).get("first_name"));
    assertEquals("Lee", serve.crmRow("acme", provider, c, id).get("last_name"));
    assertEquals(200, serve.call("PATCH", "/crm/v2/contacts/" + id, "{\"record\":{\"first_name\":\"Bea\"}}", "acme", provider).status());
    raw = serve.rawData("acme", provider, c, id);

    Answer live = serve.call("GET", "/crm/v2/contacts/" + id + "?include_raw_data=true", null, "acme", provider);
    assertEquals(200, live.status(), live.body().toString());
    assertEquals("Bea", live.body().path("first_name").asText());
    assertEquals(id, live.body().path("id").asText());
    assertEquals(Json.MAPPER.readTree(raw), live.body().path("raw_data"), "the live read is the record the refresh stored");
  }

  @ParameterizedTest
  @ValueSource(strings = {"salesforce", "hubspot", "pipedrive"})
  void createAndUpdateAnAccount(String provider) throws Exception {
    Answer created = serve.call("POST", "/crm/v2/accounts", "{\"record\":{\"name\":\"Widgets Inc\",\"website\":\"https://widgets.example\"}}",
        "acme", provider);
    String id = ServeFixture.createdId(created);
    CommonObject a = CommonObject.ACCOUNTS;
    assertEquals("Widgets Inc", serve.stored("acme", provider, a, id, path(provider, "/properties/name", provider.equals("salesforce") ? "/Name" : "/name")));
    Map<String, Object> row = serve.crmRow("acme", provider, a, id);
    assertEquals("Widgets Inc", row.get("name"));
    if (provider.equals("pipedrive")) {
      // Pipedrive organizations have no website: ignored, and said so
      assertEquals("field ignored", created.body().path("warnings").path(0).path("title").asText(), created.body().toString());
      assertTrue(created.body().path("warnings").path(0).path("detail").asText().startsWith("website"));
    } else {
      assertEquals("https://widgets.example", row.get("website"));
      assertFalse(created.body().has("warnings"), created.body().toString());
    }
    Answer updated = serve.call("PATCH", "/crm/v2/accounts/" + id, "{\"record\":{\"name\":\"Gadgets Inc\"}}", "acme", provider);
    assertEquals(200, updated.status(), updated.body().toString());
    assertEquals("Gadgets Inc", serve.crmRow("acme", provider, a, id).get("name"));
    assertTrue(serve.rawData("acme", provider, a, id).contains("Gadgets Inc"));
  }

  @Test
  void opportunitiesResolvePipelinesAndStagesAndLandWithTheirLabels() throws Exception {
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/opportunities", "{\"record\":{\"name\":\"Renewal 2027\",\"amount\":1200.5,"
        + "\"pipeline\":\"Renewals\",\"stage\":\"Renewal Due\",\"close_date\":\"2027-01-15T00:00:00Z\"}}", "acme", "hubspot"));
    assertEquals("75e28846", serve.stored("acme", "hubspot", CommonObject.OPPORTUNITIES, id, "/properties/pipeline"));
    assertEquals("1001", serve.stored("acme", "hubspot", CommonObject.OPPORTUNITIES, id, "/properties/dealstage"));
    Map<String, Object> row = serve.crmRow("acme", "hubspot", CommonObject.OPPORTUNITIES, id);
    assertEquals("Renewals", row.get("pipeline"));
    assertEquals("Renewal Due", row.get("stage"));
    assertEquals(1200.5, Double.parseDouble((String) row.get("amount")));

    String pdId = ServeFixture.createdId(serve.call("POST", "/crm/v2/opportunities", "{\"record\":{\"name\":\"Partner deal\",\"amount\":900,"
        + "\"pipeline\":\"Partnerships\",\"stage\":\"Intro\",\"close_date\":\"2027-02-01T00:00:00Z\"}}", "acme", "pipedrive"));
    assertEquals("2", serve.stored("acme", "pipedrive", CommonObject.OPPORTUNITIES, pdId, "/pipeline_id"));
    assertEquals("5", serve.stored("acme", "pipedrive", CommonObject.OPPORTUNITIES, pdId, "/stage_id"));
    assertEquals("2027-02-01", serve.stored("acme", "pipedrive", CommonObject.OPPORTUNITIES, pdId, "/expected_close_date"));
    assertEquals("Intro", serve.crmRow("acme", "pipedrive", CommonObject.OPPORTUNITIES, pdId).get("stage"));

    Answer sf = serve.call("POST", "/crm/v2/opportunities", "{\"record\":{\"name\":\"SF deal\",\"stage\":\"Prospecting\","
        + "\"close_date\":\"2027-03-01T00:00:00Z\",\"pipeline\":\"ignored\",\"status\":\"WON\"}}", "acme", "salesforce");
    assertEquals(2, sf.body().path("warnings").size(), "pipeline and status cannot be written to Salesforce: " + sf.body());
    assertEquals("Prospecting", serve.crmRow("acme", "salesforce", CommonObject.OPPORTUNITIES, ServeFixture.createdId(sf)).get("stage"));

    Answer unknownStage = serve.call("POST", "/crm/v2/opportunities", "{\"record\":{\"name\":\"x\",\"pipeline\":\"Renewals\","
        + "\"stage\":\"Closed Won\"}}", "acme", "hubspot");
    assertEquals(400, unknownStage.status());
    assertEquals("BAD_REQUEST", unknownStage.code());
    assertEquals("Stage not found: Closed Won", unknownStage.detail());
  }

  @Test
  void leadsLandForSalesforceAndPipedriveAndAreRefusedForHubSpot() throws Exception {
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/leads", "{\"record\":{\"last_name\":\"Lane\",\"company\":\"Initrode\","
        + "\"addresses\":[{\"street_1\":\"1 Main St\",\"postal_code\":\"94105\",\"address_type\":\"primary\"}]}}", "acme", "salesforce"));
    assertEquals("94105", serve.stored("acme", "salesforce", CommonObject.LEADS, id, "/PostalCode"));
    assertEquals("Initrode", serve.crmRow("acme", "salesforce", CommonObject.LEADS, id).get("company"));

    Answer pd = serve.call("POST", "/crm/v2/leads", "{\"record\":{\"title\":\"Big lead\",\"converted_account_id\":\"1\"}}", "acme", "pipedrive");
    String leadId = ServeFixture.createdId(pd);
    assertEquals("1", serve.stored("acme", "pipedrive", CommonObject.LEADS, leadId, "/organization_id"));
    assertEquals("Big lead", serve.crmRow("acme", "pipedrive", CommonObject.LEADS, leadId).get("title"));
    Answer unlinked = serve.call("POST", "/crm/v2/leads", "{\"record\":{\"title\":\"Orphan\"}}", "acme", "pipedrive");
    assertEquals(400, unlinked.status());
    assertEquals(PipedriveWrites.NO_LINK, unlinked.detail());

    Answer hub = serve.call("POST", "/crm/v2/leads", "{\"record\":{\"title\":\"x\"}}", "acme", "hubspot");
    assertEquals(400, hub.status());
    assertEquals("BAD_REQUEST", hub.code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"salesforce", "hubspot", "pipedrive"})
  void upsertFindsTheContactByEmailAndSearchReturnsIt(String provider) throws Exception {
    String email = "una-" + provider + "@upsert.example";
    String record = "\"record\":{\"first_name\":\"%s\",\"last_name\":\"Pserted\",\"email_addresses\":[{\"email_address\":\"" + email
        + "\",\"email_address_type\":\"primary\"}]}";
    String on = ",\"upsert_on\":{\"key\":\"email\",\"values\":[\"" + email + "\"]}";
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/contacts/_upsert", "{" + record.formatted("Una") + on + "}", "acme", provider));
    Answer again = serve.call("POST", "/crm/v2/contacts/_upsert", "{" + record.formatted("Uma") + on + "}", "acme", provider);
    assertEquals(200, again.status(), again.body().toString());
    assertEquals(id, again.body().path("record").path("id").asText(), "the one match is updated, not a second record made");
    assertEquals("Uma", serve.crmRow("acme", provider, CommonObject.CONTACTS, id).get("first_name"));

    Answer found = serve.call("POST", "/crm/v2/contacts/_search", "{\"filter\":{\"email\":\"" + email + "\"}}", "acme", provider);
    assertEquals(200, found.status(), found.body().toString());
    assertEquals(1, found.body().path("records").size(), found.body().toString());
    assertEquals(id, found.body().path("records").path(0).path("id").asText());
    assertEquals("Uma", found.body().path("records").path(0).path("first_name").asText());

    ServeFixture.createdId(serve.call("POST", "/crm/v2/contacts", "{" + record.formatted("Twin") + "}", "acme", provider));
    Answer ambiguous = serve.call("POST", "/crm/v2/contacts/_upsert", "{" + record.formatted("X") + on + "}", "acme", provider);
    assertEquals(400, ambiguous.status(), ambiguous.body().toString());
    assertTrue(ambiguous.detail().startsWith("more than one contacts record matches"), ambiguous.detail());
    Answer badKey = serve.call("POST", "/crm/v2/contacts/_upsert", "{" + record.formatted("X") + ",\"upsert_on\":{\"key\":\"phone\","
        + "\"values\":[\"1\"]}}", "acme", provider);
    assertEquals("VALIDATION_ERROR", badKey.code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"salesforce", "hubspot", "pipedrive"})
  void usersAreReadLiveAndRefusedForWrites(String provider) throws Exception {
    String object = ServeFixture.providerObject(provider, CommonObject.USERS);
    String id = sandbox.dataset().liveIds("acme", provider, object).get(0);
    Answer user = serve.call("GET", "/crm/v2/users/" + id, null, "acme", provider);
    assertEquals(200, user.status(), user.body().toString());
    assertEquals(id, user.body().path("id").asText());
    assertFalse(user.body().path("name").asText("").isEmpty(), user.body().toString());
    assertEquals(400, serve.call("PATCH", "/crm/v2/users/" + id, "{\"record\":{}}", "acme", provider).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"salesforce", "hubspot", "pipedrive"})
  void aLiveListPagesThroughEveryLiveRecordAtTheProvider(String provider) throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Answer page = serve.call("GET", "/crm/v2/contacts?page_size=3" + (cursor == null ? "" : "&cursor=" + cursor), null, "acme", provider);
      assertEquals(200, page.status(), page.body().toString());
      page.body().path("records").forEach(r -> seen.add(r.path("id").asText()));
      cursor = page.body().path("pagination").path("next").asText(null);
    } while (cursor != null);
    List<String> live = sandbox.dataset().liveIds("acme", provider, ServeFixture.providerObject(provider, CommonObject.CONTACTS));
    assertEquals(new TreeSet<>(live), new TreeSet<>(seen));
    assertEquals(live.size(), seen.size(), "each record once");
    assertEquals("VALIDATION_ERROR", serve.call("GET", "/crm/v2/contacts?modified_after=2020-01-01T00:00:00Z", null, "acme", provider).code());
  }

  /** What the destination and the emulator hold for acme's contacts at one provider. */
  private static List<Object> state(String provider) throws Exception {
    return List.of(serve.table("crm_contacts", "acme"), serve.table(ServeFixture.rawTable(provider, CommonObject.CONTACTS), "acme"),
        sandbox.dataset().count("acme", provider, ServeFixture.providerObject(provider, CommonObject.CONTACTS), Deletion.ANY));
  }

  @Test
  void refusedRequestsGetTheirDocumentedAnswerAndChangeNothing() throws Exception {
    String ok = "{\"record\":{\"first_name\":\"Ann\"}}";
    List<Object> before = state("hubspot");
    Answer noKey = serve.send("POST", "/crm/v2/contacts", ok, Map.of("x-customer-id", "acme", "x-provider-name", "hubspot"));
    assertEquals(401, noKey.status());
    assertEquals("UNAUTHORIZED_ERROR", noKey.code());
    Answer wrongKey = serve.send("POST", "/crm/v2/contacts", ok, Map.of("x-api-key", "nope", "x-customer-id", "acme", "x-provider-name", "hubspot"));
    assertEquals(401, wrongKey.status());
    Answer noHeaders = serve.send("POST", "/crm/v2/contacts", ok, Map.of("x-api-key", ServeFixture.KEY));
    assertEquals(401, noHeaders.status());
    assertEquals("UNAUTHORIZED_ERROR", noHeaders.code());
    Answer unknown = serve.call("POST", "/crm/v2/contacts", ok, "hooli", "hubspot");
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND_ERROR", unknown.code());
    Answer malformed = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":", "acme", "hubspot");
    assertEquals(400, malformed.status());
    assertEquals("BAD_REQUEST", malformed.code());
    Answer wrongType = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":5}}", "acme", "hubspot");
    assertEquals(400, wrongType.status());
    assertEquals("VALIDATION_ERROR", wrongType.code());
    assertTrue(wrongType.detail().startsWith("record.first_name"), wrongType.detail());
    Answer typo = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"firstname\":\"Ann\"}}", "acme", "hubspot");
    assertEquals(400, typo.status());
    assertEquals("VALIDATION_ERROR", typo.code());
    assertTrue(typo.detail().startsWith("record.firstname"), typo.detail());
    Answer refusedByProvider = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Ann\",\"custom_fields\":{\"no_such_property\":\"x\"}}}",
        "acme", "hubspot");
    assertEquals(400, refusedByProvider.status(), refusedByProvider.body().toString());
    assertEquals("REMOTE_PROVIDER_ERROR", refusedByProvider.code());
    assertEquals("remote-provider", refusedByProvider.origin());
    assertTrue(refusedByProvider.detail().contains("Property values were not valid: no_such_property"), refusedByProvider.detail());
    Answer unknownPipeline = serve.call("POST", "/crm/v2/opportunities", "{\"record\":{\"pipeline\":\"Nope\"}}", "acme", "hubspot");
    assertEquals(400, unknownPipeline.status());
    assertEquals("Pipeline not found: Nope", unknownPipeline.detail());
    Answer readOnly = serve.call("POST", "/crm/v2/users", ok, "acme", "hubspot");
    assertEquals(400, readOnly.status());
    assertEquals(before, state("hubspot"));

    List<Object> pipedrive = state("pipedrive");
    Answer nameless = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"owner_id\":\"1\"}}", "acme", "pipedrive");
    assertEquals(400, nameless.status());
    assertEquals("BAD_REQUEST", nameless.code());
    assertEquals(PipedriveWrites.NO_NAME, nameless.detail());
    assertEquals(pipedrive, state("pipedrive"));
  }

  @Test
  void aProviderTimeoutIs502AndLeavesTheDestinationAlone() throws Exception {
    List<Map<String, Object>> before = serve.table("crm_contacts", "acme");
    sandbox.faults("acme", "salesforce").slowDelay(ServeFixture.PROVIDER_TIMEOUT.plusSeconds(1)).next(1, Fault.SLOW);
    Answer slow = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"last_name\":\"Slow\"}}", "acme", "salesforce");
    assertEquals(502, slow.status(), slow.body().toString());
    assertEquals("REMOTE_PROVIDER_ERROR", slow.code());
    assertEquals("remote-provider", slow.origin());
    assertEquals(before, serve.table("crm_contacts", "acme"));
  }

  @Test
  void unwritableFieldsAreIgnoredAndNamed() throws Exception {
    Answer a = serve.call("POST", "/crm/v2/contacts", "{\"record\":{\"first_name\":\"Cy\",\"last_activity_at\":\"2026-01-01T00:00:00Z\"}}",
        "acme", "hubspot");
    assertEquals(201, a.status(), a.body().toString());
    assertEquals(1, a.body().path("warnings").size());
    assertTrue(a.body().path("warnings").path(0).path("detail").asText().startsWith("last_activity_at"));
  }

  @Test
  void cachedListsPageInIdOrderWithOpaqueCursors() throws Exception {
    // globex/hubspot syncs no accounts: nothing is cached for it
    Answer empty = serve.call("GET", "/crm/v2/accounts?read_from_cache=true", null, "globex", "hubspot");
    assertEquals(200, empty.status(), empty.body().toString());
    assertEquals(0, empty.body().path("records").size());

    List<String> expected = serve.rows("SELECT id FROM supaglue.crm_contacts WHERE _supaglue_customer_id = 'acme'"
        + " AND _supaglue_provider_name = 'hubspot' ORDER BY id").stream().map(r -> (String) r.get("id")).toList();
    assertFalse(expected.isEmpty());
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Answer page = serve.call("GET", "/crm/v2/contacts?read_from_cache=true&page_size=1" + (cursor == null ? "" : "&cursor=" + cursor),
          null, "acme", "hubspot");
      assertEquals(200, page.status(), page.body().toString());
      page.body().path("records").forEach(r -> seen.add(r.path("id").asText()));
      assertFalse(page.body().path("records").path(0).has("raw_data"));
      cursor = page.body().path("pagination").path("next").asText(null);
    } while (cursor != null);
    assertEquals(expected, seen);
    Answer raw = serve.call("GET", "/crm/v2/contacts?read_from_cache=true&include_raw_data=true&modified_after=2000-01-01T00:00:00Z",
        null, "acme", "hubspot");
    assertTrue(raw.body().path("records").path(0).path("raw_data").isObject());
    Answer future = serve.call("GET", "/crm/v2/contacts?read_from_cache=true&modified_after=2999-01-01T00:00:00Z", null, "acme", "hubspot");
    assertEquals(0, future.body().path("records").size());
    assertEquals(400, serve.call("GET", "/crm/v2/contacts?read_from_cache=true&page_size=1001", null, "acme", "hubspot").status());
    assertEquals("VALIDATION_ERROR", serve.call("GET", "/crm/v2/contacts?read_from_cache=true&cursor=bogus!", null, "acme", "hubspot").code());
  }

}
