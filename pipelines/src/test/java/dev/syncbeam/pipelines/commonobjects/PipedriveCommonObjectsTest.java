package dev.syncbeam.pipelines.commonobjects;

import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.JSON;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.fixture;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.obj;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.page;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.sync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipedrive persons, organizations, deals, leads and users, with stage/pipeline and custom-field lookups. */
class PipedriveCommonObjectsTest {
  static final String TIER_KEY = "0123456789abcdef0123456789abcdef01234567";
  @TempDir static Path tmp;
  static CommonObjectsDb db;

  @BeforeAll
  static void syncRecordedResponses() throws Exception {
    Path root = tmp.resolve("extract");
    ObjectNode persons = (ObjectNode) fixture("pipedrive/persons_list_v1_7rec.json");
    ObjectNode person3 = (ObjectNode) persons.get("data").get(1);
    assertEquals(3, person3.get("id").asInt());
    // no recorded response holds a deleted person: this copy of person 3 was deleted later, with a custom field
    person3.put("delete_time", "2026-05-16 08:00:00").put("active_flag", false).put(TIER_KEY, "Gold");
    page(root, "persons", "page.json", persons);
    page(root, "_personFields", "fields.json", obj("""
        {"success": true, "data": [{"key": "%s", "name": "Tier"}, {"key": "name", "name": "Name"}]}""".formatted(TIER_KEY)));
    page(root, "organizations", "page.json", fixture("pipedrive/organizations_list_v1_8rec.json"));
    JsonNode deals = fixture("pipedrive/deals_list_v1_8rec.json");
    page(root, "deals", "page.json", deals);
    page(root, "deals", "page2.json", obj("""
        {"success": true, "data": [
          {"id": 901, "title": "Won deal", "value": 1999.99, "status": "won", "stage_id": 3, "pipeline_id": 1,
           "close_time": "2026-05-20 14:30:00", "user_id": 25760681, "org_id": 2, "deleted": false,
           "add_time": "2026-05-01 00:00:00", "update_time": "2026-05-20 14:30:00"},
          {"id": 902, "title": "Lost deal", "value": "12.5", "status": "lost", "deleted": false,
           "update_time": "2026-05-20 14:31:00"},
          {"id": 903, "title": "Deleted deal", "status": "deleted", "deleted": false, "update_time": "2026-05-20 14:32:00"}],
         "additional_data": {"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}}}"""));
    // stages and pipelines as the v1 stages/pipelines APIs return them, from the deals' related objects; stage 7 left out
    ArrayNode stages = JSON.createArrayNode();
    deals.get("related_objects").get("stage").forEach(s -> { if (s.get("id").asInt() != 7) stages.add(s); });
    ArrayNode pipelines = JSON.createArrayNode();
    deals.get("related_objects").get("pipeline").forEach(pipelines::add);
    page(root, "_stages", "page.json", JSON.createObjectNode().put("success", true).set("data", stages));
    page(root, "_pipelines", "page.json", JSON.createObjectNode().put("success", true).set("data", pipelines));
    page(root, "_dealFields", "page.json", fixture("pipedrive/dealFields_v1.json"));
    page(root, "leads", "page.json", fixture("pipedrive/leads_list_v1_7rec.json"));
    page(root, "users", "page.json", fixture("pipedrive/users_list_v1.json"));
    db = new CommonObjectsDb("pipedrive_common");
    assertTrue(db.run(List.of(sync(root, "pipedrive", "persons", "contacts"),
        sync(root, "pipedrive", "organizations", "accounts"), sync(root, "pipedrive", "deals", "opportunities"),
        sync(root, "pipedrive", "leads", "leads"), sync(root, "pipedrive", "users", "users"))).allSucceeded());
  }

  @Test
  void everyRecordLandsInItsCrmTable() throws Exception {
    assertEquals(7, db.rowCount("crm_contacts"));
    assertEquals(8, db.rowCount("crm_accounts"));
    assertEquals(11, db.rowCount("crm_opportunities"));
    assertEquals(7, db.rowCount("crm_leads"));
    assertEquals(1, db.rowCount("crm_users"));
    assertEquals(7, db.rowCount("pipedrive_persons"));
    for (String t : List.of("crm_accounts", "crm_contacts", "crm_leads", "crm_opportunities", "crm_users")) {
      db.assertAllUnifiedAgree(t);
    }
  }

  @Test
  void personsBecomeContactsWithLabelledEmailsAndPhones() throws Exception {
    db.assertRow("crm_contacts", "2", "first_name", "Jane", "last_name", "Smith", "account_id", "2", "owner_id", "25760681",
        "email_addresses", "[{\"email_address\": \"jane.smith@acme.com\", \"email_address_type\": \"work\"}]",
        "phone_numbers", "[{\"phone_number\": \"+14155551234\", \"phone_number_type\": \"primary\"}]",
        "addresses", "[]", "created_at", "2026-05-15T09:58:20Z", "updated_at", "2026-05-15T10:11:04Z",
        "last_modified_at", "2026-05-15T10:11:04Z", "is_deleted", false, "last_activity_at", null);
    db.assertRow("crm_contacts", "1", "first_name", "Jane", "last_name", "Smith Updated via Direct API", "account_id", "1",
        "updated_at", "2026-05-15T10:16:44Z");
    db.assertRow("crm_contacts", "4", "first_name", "Test", "last_name", "Person", "account_id", null,
        "email_addresses", "[{\"email_address\": \"test@example.com\", \"email_address_type\": \"work\"}]",
        "phone_numbers", "[]", "created_at", "2026-05-15T10:14:24Z");
  }

  @Test
  void aDeletedPersonIsADeletedContactAndItsCustomFieldIsNamed() throws Exception {
    db.assertRow("crm_contacts", "3", "is_deleted", true, "last_modified_at", "2026-05-16T08:00:00Z",
        "updated_at", "2026-05-15T10:11:48Z");
    JsonNode raw = (JsonNode) db.row("crm_contacts", "3").get("raw_data");
    assertEquals("Gold", raw.get("Tier").textValue());
    assertFalse(raw.has(TIER_KEY));
    assertEquals("Test Person", raw.get("name").textValue(), "a standard field keeps its key");
  }

  @Test
  void organizationsBecomeAccounts() throws Exception {
    db.assertRow("crm_accounts", "2", "name", "Acme Corp", "number_of_employees", 1, "owner_id", "25760681",
        "addresses", """
            [{"street_1": "123 Main St, San Francisco, CA 94105", "street_2": null, "city": null, "state": null,
              "postal_code": null, "country": null, "address_type": "primary"}]""",
        "phone_numbers", "[]", "created_at", "2026-05-15T09:58:09Z", "updated_at", "2026-05-15T10:11:04Z");
    db.assertRow("crm_accounts", "3", "name", "Test Organization from Nango", "number_of_employees", 0, "addresses", "[]",
        "updated_at", "2026-05-15T10:07:38Z");
    db.assertRow("crm_accounts", "1", "name", "Test Organization Updated", "created_at", "2026-05-15T09:54:05Z",
        "is_deleted", false);
  }

  @Test
  void dealsBecomeOpportunitiesWithStageAndPipelineLabels() throws Exception {
    db.assertRow("crm_opportunities", "2", "name", "Acme Corp - Enterprise License", "amount", 25000.0, "status", "OPEN",
        "stage", "7", "pipeline", "Test Sales Pipeline", "account_id", "2", "owner_id", "25760681",
        "created_at", "2026-05-15T09:58:41Z", "updated_at", "2026-05-15T10:11:04Z", "close_date", null);
    db.assertRow("crm_opportunities", "1", "name", "Test Deal Update", "stage", "Prospect Qualified", "pipeline", "Pipeline",
        "account_id", "1", "updated_at", "2026-05-15T10:21:57Z");
    db.assertRow("crm_opportunities", "3", "name", "Test Deal from Nango Action", "amount", 0.0,
        "stage", "Qualified Lead Updated", "account_id", null);
  }

  @Test
  void dealStatusMapsWonLostAndDeleted() throws Exception {
    db.assertRow("crm_opportunities", "901", "status", "WON", "amount", 1999.99, "close_date", "2026-05-20T14:30:00Z",
        "account_id", "2", "owner_id", "25760681", "stage", "Prospect Qualified", "is_deleted", false);
    db.assertRow("crm_opportunities", "902", "status", "LOST", "amount", 12.5, "stage", null, "pipeline", null);
    db.assertRow("crm_opportunities", "903", "status", null, "is_deleted", true);
  }

  @Test
  void leadsAndUsers() throws Exception {
    db.assertRow("crm_leads", "a9c7d540-5044-11f1-8fc2-6ded4282a24d", "title", "Acme Corp Expansion Opportunity",
        "lead_source", "API", "owner_id", "25760681", "created_at", "2026-05-15T09:58:46.164Z",
        "updated_at", "2026-05-15T09:58:46.164Z", "converted_account_id", null, "converted_contact_id", null,
        "is_deleted", false);
    db.assertRow("crm_leads", "1bce0200-5044-11f1-8f4f-d7944c9e4f3a", "title", "Updated Lead Title from Nango",
        "updated_at", "2026-05-15T10:11:08.288Z");
    db.assertRow("crm_leads", "55ffd3e0-5049-11f1-835f-43150ff78f18", "title", "Delete Test Lead A",
        "created_at", "2026-05-15T10:32:13.086Z");
    db.assertRow("crm_users", "25760681", "name", "Nango", "email", "api@nango.dev", "is_active", true, "is_deleted", false,
        "created_at", "2026-05-15T09:12:14Z", "updated_at", "2026-05-15T09:46:05Z", "last_modified_at", "2026-05-15T09:46:05Z");
  }
}
