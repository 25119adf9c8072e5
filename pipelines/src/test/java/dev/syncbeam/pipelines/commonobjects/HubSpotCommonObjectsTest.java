package dev.syncbeam.pipelines.commonobjects;

import dev.syncbeam.schemas.unified.CommonObject;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.fixture;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.obj;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * HubSpot companies, contacts, deals and owners, configured the way a user would (contacts also as
 * a standard object, and leads, which HubSpot does not have), land in crm_* from recorded responses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubSpotCommonObjectsTest {
  @TempDir static Path tmp;
  static CommonObjectsDb db;
  static List<SyncDefinition> defs;
  static SyncJob.Result firstRun;

  @BeforeAll
  static void syncRecordedResponses() throws Exception {
    Path root = tmp.resolve("extract");
    page(root, "companies", "page.json", fixture("hubspot/companies_list_v3_get_57rec_single_page.json"));
    page(root, "companies", "page2.json", obj("""
        {"results": [{"id": "900000000001", "properties": {"name": "Lots Inc", "numberofemployees": "lots",
          "lifecyclestage": "customer", "address": "1 Main St", "address2": "Suite 5", "zip": "94105", "description": "",
          "hubspot_owner_id": "12345689"},
          "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-05-01T12:00:00+02:00", "archived": false}]}"""));
    ObjectNode contacts = (ObjectNode) fixture("hubspot/contacts_list_v3_get_26rec_single_page.json");
    // the recorded contacts were fetched without associations; the v3 API nests them like this
    ((ObjectNode) contacts.get("results").get(0)).set("associations", obj("""
        {"companies": {"results": [{"id": "406260751575", "type": "contact_to_company"},
                                   {"id": "406504204524", "type": "contact_to_company"}]}}"""));
    page(root, "contacts", "page.json", contacts);
    page(root, "deals", "page.json", fixture("hubspot/deals_list_v3_get_21rec.json"));
    page(root, "deals", "page2.json", obj("""
        {"results": [
          {"id": "900000000002", "properties": {"dealname": "Decimal Won", "amount": "1234.56", "pipeline": "default",
             "dealstage": "closedwon", "hs_is_closed_won": "true", "hs_is_closed": "true",
             "closedate": "2024-06-30T15:00:00.000Z", "hubspot_owner_id": "222222"},
           "createdAt": "2024-06-01T00:00:00Z", "updatedAt": "2024-07-01T00:00:00Z", "archived": false,
           "associations": {"companies": {"results": [{"id": "406597029111", "type": "deal_to_company"}]}}},
          {"id": "900000000003", "properties": {"dealname": "Bad values", "amount": "1e400", "closedate": "2024-13-45",
             "hs_is_closed": "true", "hs_is_closed_won": "false", "pipeline": "default", "dealstage": "closedlost"},
           "createdAt": "2024-06-01T00:00:00Z", "updatedAt": "2024-07-01T00:00:00Z", "archived": false}]}"""));
    page(root, "owners", "page1.json", fixture("hubspot/owners_list_v3_2rec.json"));
    page(root, "owners", "page2.json", fixture("hubspot/owners_list_v3_archived_true_1rec.json"));
    page(root, "_pipelines", "deals.json", fixture("hubspot/pipelines_deals_v3.json"));

    db = new CommonObjectsDb("hubspot_common");
    Path config = tmp.resolve("syncbeam.yaml");
    Files.writeString(config, """
        application_id: app
        destination: { url: "%s", user: postgres, password: postgres, schema: supaglue }
        syncs:
          - customer_id: acme
            provider: hubspot
            source: { extract: extract }
            standard_objects: [contacts]
            common_objects: [accounts, contacts, leads, opportunities, users]
        """.formatted(db.url));
    SyncbeamConfig cfg = new ConfigLoader(v -> null).load(config);
    defs = SyncDefinition.expand(cfg, List.of());
    firstRun = new SyncJob(PostgresDestination.of(db.url, "postgres", "postgres", "supaglue"), System.out)
        .run(defs, false, new String[0]);
  }

  @Test
  @Order(1)
  void oneSyncPerProviderObjectAndNoneForLeads() {
    assertEquals(List.of("acme/hubspot/contacts", "acme/hubspot/companies", "acme/hubspot/deals", "acme/hubspot/owners"),
        defs.stream().map(d -> d.key().label()).toList());
    assertEquals(CommonObject.CONTACTS, defs.get(0).commonObject(), "the standard contacts sync also fills crm_contacts");
    assertTrue(firstRun.allSucceeded());
  }

  @Test
  @Order(2)
  void everyRecordLandsInItsRawTableAndItsCrmTable() throws Exception {
    assertEquals(58, db.rowCount("crm_accounts"));
    assertEquals(58, db.rowCount("hubspot_companies"));
    assertEquals(26, db.rowCount("crm_contacts"));
    assertEquals(26, db.rowCount("hubspot_contacts"));
    assertEquals(23, db.rowCount("crm_opportunities"));
    assertEquals(3, db.rowCount("crm_users"));
    assertEquals(0, db.rowCount("crm_leads"), "HubSpot has no leads");
    // records written counts provider records, not rows times tables
    assertEquals(26, db.lastRun("hubspot", "contacts", "records_written"));
    for (String t : List.of("crm_accounts", "crm_contacts", "crm_opportunities", "crm_users")) db.assertAllUnifiedAgree(t);
  }

  @Test
  @Order(3)
  void companiesBecomeAccounts() throws Exception {
    db.assertRow("crm_accounts", "406260751575", "name", "Test Company Batch Updated - Dryrun",
        "industry", "INFORMATION_TECHNOLOGY_AND_SERVICES", "website", "testcompany.com", "description", null,
        "addresses", """
            [{"street_1": null, "street_2": null, "city": "San Francisco", "state": "CA", "postal_code": null,
              "country": "United States", "address_type": "primary"}]""",
        "phone_numbers", "[]", "created_at", "2026-02-25T16:14:38.670Z", "updated_at", "2026-03-09T20:23:36.861Z",
        "last_modified_at", "2026-03-09T20:23:36.861Z", "is_deleted", false, "_supaglue_provider_name", "hubspot",
        "_supaglue_customer_id", "acme");
    db.assertRow("crm_accounts", "421290981567", "name", "Test Company for Get Action", "industry", "COMPUTER_SOFTWARE",
        "phone_numbers", "[{\"phone_number\": \"+1-555-TEST\", \"phone_number_type\": \"primary\"}]",
        "addresses", """
            [{"street_1": null, "street_2": null, "city": "San Francisco", "state": "CA", "postal_code": null,
              "country": "USA", "address_type": "primary"}]""",
        "created_at", "2026-03-12T07:35:26.564Z", "updated_at", "2026-03-12T07:35:30.805Z");
    db.assertRow("crm_accounts", "406597029111", "name", "HubSpot", "website", "hubspot.com", "addresses", "[]",
        "owner_id", null, "number_of_employees", null, "updated_at", "2026-02-28T15:18:26.113Z");
  }

  @Test
  @Order(4)
  void aNonNumericEmployeeCountLandsAsNullAndIsCounted() throws Exception {
    db.assertRow("crm_accounts", "900000000001", "name", "Lots Inc", "number_of_employees", null,
        "description", null, "lifecycle_stage", "customer", "owner_id", "12345689",
        "updated_at", "2024-05-01T10:00:00Z", "addresses", """
            [{"street_1": "1 Main St", "street_2": "Suite 5", "city": null, "state": null, "postal_code": "94105",
              "country": null, "address_type": "primary"}]""");
    assertEquals("", ((com.fasterxml.jackson.databind.JsonNode) db.row("crm_accounts", "900000000001").get("raw_data"))
        .get("properties").get("description").textValue(), "raw_data keeps the provider's values as read");
    assertEquals(1, db.lastRun("hubspot", "companies", "coerced"));
  }

  @Test
  @Order(5)
  void contactsKeepNamesEmailsPhonesAndFirstAssociatedCompany() throws Exception {
    db.assertRow("crm_contacts", "713492963559", "first_name", "Updated", "last_name", "Contact",
        "email_addresses", "[{\"email_address\": \"test-contact-2026@example.com\", \"email_address_type\": \"primary\"}]",
        "phone_numbers", "[{\"phone_number\": \"+1234567890\", \"phone_number_type\": \"primary\"}]",
        "addresses", "[]", "account_id", "406260751575", "created_at", "2026-02-25T16:23:49.023Z",
        "updated_at", "2026-03-12T10:04:17.969Z", "is_deleted", false);
    db.assertRow("crm_contacts", "713688692984", "first_name", "Test", "last_name", "Contact2",
        "email_addresses", "[{\"email_address\": \"test-contact-2@example.com\", \"email_address_type\": \"primary\"}]",
        "phone_numbers", "[{\"phone_number\": \"+1-555-123-4568\", \"phone_number_type\": \"primary\"}]",
        "account_id", null, "updated_at", "2026-02-26T01:02:59.481Z");
    db.assertRow("crm_contacts", "713802347732", "first_name", "Brian", "last_name", "Halligan (Sample Contact)",
        "email_addresses", "[{\"email_address\": \"bh@hubspot.com\", \"email_address_type\": \"primary\"}]",
        "phone_numbers", "[]", "last_modified_at", "2026-02-28T15:18:25.872Z");
  }

  @Test
  @Order(6)
  void dealsBecomeOpportunitiesWithStageLabelsDecimalsAndStatus() throws Exception {
    db.assertRow("crm_opportunities", "479475667160", "name", "Test Deal Updated via Action", "amount", 3000.0,
        "stage", "Appointment Scheduled", "status", "OPEN", "pipeline", null, "close_date", null,
        "updated_at", "2026-03-09T20:29:45.981Z");
    db.assertRow("crm_opportunities", "493593663734", "name", "Updated Test Deal", "amount", 15000.0,
        "stage", "Qualified To Buy", "close_date", "2026-12-31T00:00:00Z", "status", "OPEN");
    db.assertRow("crm_opportunities", "487463597256", "name", "Test Deal from API", "amount", null, "stage", null);
    db.assertRow("crm_opportunities", "900000000002", "name", "Decimal Won", "amount", 1234.56, "status", "WON",
        "stage", "Closed Won", "pipeline", "Sales Pipeline", "account_id", "406597029111", "owner_id", "222222",
        "close_date", "2024-06-30T15:00:00Z");
  }

  @Test
  @Order(7)
  void anInfiniteAmountAndAnImpossibleDateLandAsNullAndAreCounted() throws Exception {
    db.assertRow("crm_opportunities", "900000000003", "name", "Bad values", "amount", null, "close_date", null,
        "status", "LOST", "stage", "Closed Lost");
    assertEquals(2, db.lastRun("hubspot", "deals", "coerced"));
  }

  @Test
  @Order(8)
  void ownersBecomeUsersAndAnArchivedOwnerIsAnInactiveDeletedUser() throws Exception {
    db.assertRow("crm_users", "12345689", "name", "Jane Beautiful", "email", "foo@gmoo.com", "is_active", true,
        "is_deleted", false, "created_at", "2022-12-22T08:54:53.917Z", "last_modified_at", "2023-10-02T21:22:46.509Z");
    db.assertRow("crm_users", "222222", "name", "John Faked", "email", "foo@foo.com", "is_active", true);
    db.assertRow("crm_users", "52550153", "name", "Team-1 Airbyte", "email", "integration-test@airbyte.io",
        "is_active", false, "is_deleted", true, "last_modified_at", "2023-01-31T00:25:34.448Z");
  }

  @Test
  @Order(9)
  void aFullRefreshThatDropsAContactMarksTheColumnAndTheUnifiedDataDeleted() throws Exception {
    Path root = tmp.resolve("extract");
    ObjectNode contacts = (ObjectNode) CommonObjectsDb.JSON.readTree(root.resolve("contacts/page.json").toFile());
    ArrayNode results = (ArrayNode) contacts.get("results");
    assertEquals("713688692984", results.get(1).get("id").asText());
    results.remove(1);
    page(root, "contacts", "page.json", contacts);
    SyncJob.Result second = new SyncJob(PostgresDestination.of(db.url, "postgres", "postgres", "supaglue"), System.out)
        .run(List.of(defs.get(0)), true, new String[0]);
    assertTrue(second.allSucceeded());
    Map<String, Object> dropped = db.row("crm_contacts", "713688692984");
    assertEquals(true, dropped.get("is_deleted"));
    assertEquals(true, ((com.fasterxml.jackson.databind.JsonNode) dropped.get("_supaglue_unified_data")).get("is_deleted").booleanValue());
    assertEquals(1, db.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(1, db.count("SELECT count(*) FROM supaglue.crm_contacts WHERE is_deleted"));
    assertEquals(1, db.count("SELECT count(*) FROM supaglue.crm_contacts WHERE (_supaglue_unified_data->>'is_deleted')::boolean"));
    db.assertAllUnifiedAgree("crm_contacts");
  }
}
