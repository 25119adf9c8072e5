package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.serve.ServeFixture.Answer;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.unified.CommonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Standard- and custom-object records through serve: provider field names as given, refreshed into the sync's raw tables. */
class ObjectRecordsTest {
  static SandboxServer sandbox;
  static ServeFixture serve;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(5));
    serve = new ServeFixture("serve_records", sandbox, List.of(
        ServeFixture.entry(sandbox, "acme", "salesforce", List.of("accounts"), List.of("Account"), List.of("Invoice__c")),
        ServeFixture.entry(sandbox, "acme", "hubspot", List.of(), List.of("deals"), List.of()),
        ServeFixture.entry(sandbox, "acme", "pipedrive", List.of(), List.of("persons"), List.of())), null);
  }

  @AfterAll
  static void stop() {
    serve.close();
    sandbox.close();
  }

  private static String raw(String table, String id) throws Exception {
    List<Map<String, Object>> rows = serve.rows("SELECT _supaglue_raw_data FROM supaglue." + table + " WHERE _supaglue_customer_id = 'acme'"
        + " AND _supaglue_id = ?", id);
    assertEquals(1, rows.size(), table + " row of " + id);
    return (String) rows.get(0).get("_supaglue_raw_data");
  }

  @Test
  void aStandardObjectRecordLandsInItsRawTableAndInCrmWhenItsSyncFillsACommonObject() throws Exception {
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/standard_objects/Account/records",
        "{\"record\":{\"Name\":\"Raw Co\",\"Industry\":\"Energy\"}}", "acme", "salesforce"));
    assertEquals("Raw Co", serve.stored("acme", "salesforce", CommonObject.ACCOUNTS, id, "/Name"));
    assertTrue(raw("salesforce_account", id).contains("Raw Co"));
    assertEquals("Energy", serve.crmRow("acme", "salesforce", CommonObject.ACCOUNTS, id).get("industry"));

    Answer updated = serve.call("PATCH", "/crm/v2/standard_objects/Account/records/" + id, "{\"record\":{\"Name\":\"Raw Corp\"}}",
        "acme", "salesforce");
    assertEquals(200, updated.status(), updated.body().toString());
    assertTrue(raw("salesforce_account", id).contains("Raw Corp"));

    Answer live = serve.call("GET", "/crm/v2/standard_objects/Account/records/" + id, null, "acme", "salesforce");
    assertEquals(200, live.status(), live.body().toString());
    assertEquals("Account", live.body().path("standard_object_name").asText());
    assertEquals("Raw Corp", live.body().path("data").path("Name").asText());

    Answer cachedPage = serve.call("GET", "/crm/v2/standard_objects/Account/records?read_from_cache=true&page_size=1000", null, "acme",
        "salesforce");
    assertEquals(200, cachedPage.status(), cachedPage.body().toString());
    boolean found = false;
    for (JsonNode r : cachedPage.body().path("records")) found |= r.path("id").asText().equals(id) && r.path("data").path("Name").asText().equals("Raw Corp");
    assertTrue(found, cachedPage.body().toString());

    Answer livePage = serve.call("GET", "/crm/v2/standard_objects/Account/records?page_size=2", null, "acme", "salesforce");
    assertEquals(200, livePage.status(), livePage.body().toString());
    assertEquals(2, livePage.body().path("records").size());
    assertTrue(livePage.body().path("records").path(0).path("data").has("Name"), livePage.body().toString());
    assertTrue(livePage.body().path("pagination").path("next").isTextual(), "more live accounts than one page");
  }

  @Test
  void aCustomObjectRecordLandsInCustomObjectsUnderItsName() throws Exception {
    String id = ServeFixture.createdId(serve.call("POST", "/crm/v2/custom_objects/Invoice__c/records",
        "{\"record\":{\"Name\":\"INV-9\",\"Amount__c\":120.5}}", "acme", "salesforce"));
    List<Map<String, Object>> rows = serve.rows("SELECT _supaglue_raw_data FROM supaglue.custom_objects WHERE _supaglue_object_name = "
        + "'salesforce_invoice_c' AND _supaglue_id = ?", id);
    assertEquals(1, rows.size());
    assertTrue(((String) rows.get(0).get("_supaglue_raw_data")).contains("INV-9"));
    assertEquals(1, serve.rows("SELECT 1 FROM supaglue.salesforce_invoice_c WHERE _supaglue_id = ?", id).size(), "through its view too");
    Answer page = serve.call("GET", "/crm/v2/custom_objects/Invoice__c/records?read_from_cache=true", null, "acme", "salesforce");
    assertEquals(id, page.body().path("records").path(0).path("id").asText(), page.body().toString());
  }

  @Test
  void hubspotAndPipedriveRecordsAndTheirRefusals() throws Exception {
    String deal = ServeFixture.createdId(serve.call("POST", "/crm/v2/standard_objects/deals/records",
        "{\"record\":{\"dealname\":\"Raw deal\",\"amount\":\"10\"}}", "acme", "hubspot"));
    assertTrue(raw("hubspot_deals", deal).contains("Raw deal"));
    String person = ServeFixture.createdId(serve.call("POST", "/crm/v2/standard_objects/persons/records",
        "{\"record\":{\"name\":\"Pat Raw\"}}", "acme", "pipedrive"));
    assertTrue(raw("pipedrive_persons", person).contains("Pat Raw"));
    Answer notSynced = serve.call("POST", "/crm/v2/standard_objects/organizations/records", "{\"record\":{\"name\":\"Org\"}}", "acme",
        "pipedrive");
    assertEquals(201, notSynced.status());
    assertEquals("cache not updated: not synced", notSynced.body().path("warnings").path(0).path("title").asText());
    Answer refused = serve.call("POST", "/crm/v2/standard_objects/Account/records", "{\"record\":{\"Nope\":1}}", "acme", "salesforce");
    assertEquals(400, refused.status());
    assertEquals("REMOTE_PROVIDER_ERROR", refused.code());
    Answer notAnObject = serve.call("POST", "/crm/v2/standard_objects/Account/records", "{\"record\":[1]}", "acme", "salesforce");
    assertEquals("VALIDATION_ERROR", notAnObject.code());
    assertEquals(501, serve.call("DELETE", "/crm/v2/custom_objects/Invoice__c/records/1", null, "acme", "salesforce").status());
  }
}
