package dev.syncbeam.pipelines.commonobjects;

import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.fixture;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.obj;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.page;
import static dev.syncbeam.pipelines.commonobjects.CommonObjectsDb.sync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Salesforce Account, Contact, Lead, Opportunity and User query responses, configured only as common objects. */
class SalesforceCommonObjectsTest {
  @TempDir static Path tmp;
  static CommonObjectsDb db;

  @BeforeAll
  static void syncRecordedResponses() throws Exception {
    Path root = tmp.resolve("extract");
    page(root, "Account", "page1.json", fixture("salesforce/query_account_v59_page1_of2_2000rec_nextRecordsUrl.json"));
    page(root, "Account", "page2.json", fixture("salesforce/query_account_v59_page2_of2_86rec_done.json"));
    page(root, "Contact", "page.json", fixture("salesforce/query_contact_v59_213rec.json"));
    page(root, "Lead", "page.json", fixture("salesforce/query_lead_v60_31rec_owner_relationship.json"));
    page(root, "Opportunity", "page.json", fixture("salesforce/query_opportunity_v59_31rec.json"));
    // the recorded query selected neither IsWon nor IsClosed; Bulk CSV rows carry them as strings
    page(root, "Opportunity", "page2.json", obj("""
        {"totalSize": 3, "done": true, "records": [
          {"Id": "006SYNTHWON", "Name": "Won one", "Amount": "1500.75", "IsWon": "true", "IsClosed": "true",
           "StageName": "Closed Won", "CloseDate": "2024-02-29", "AccountId": "001dM00003jU9GyQAK", "IsDeleted": "false",
           "CreatedDate": "2024-01-01T08:00:00.000-0500", "SystemModstamp": "2024-03-01T10:00:00.000+0100"},
          {"Id": "006SYNTHLOST", "Name": "Lost one", "Amount": "", "IsWon": "false", "IsClosed": "true",
           "SystemModstamp": "2024-03-01T10:00:00.000+0000"},
          {"Id": "006SYNTHOPEN", "Name": "Open one", "IsWon": false, "IsClosed": false, "IsDeleted": true,
           "SystemModstamp": "2024-03-01T10:00:00.000+0000"}]}"""));
    page(root, "User", "page.json", fixture("salesforce/query_user_v59_8rec_relationship_field.json"));
    db = new CommonObjectsDb("salesforce_common");
    assertTrue(db.run(List.of(sync(root, "salesforce", "Account", "accounts"), sync(root, "salesforce", "Contact", "contacts"),
        sync(root, "salesforce", "Lead", "leads"), sync(root, "salesforce", "Opportunity", "opportunities"),
        sync(root, "salesforce", "User", "users"))).allSucceeded());
  }

  @Test
  void everyRecordLandsInItsCrmTableAndItsRawTable() throws Exception {
    assertEquals(2086, db.rowCount("crm_accounts"));
    assertEquals(2086, db.rowCount("salesforce_account"), "the raw standard table lands too");
    assertEquals(213, db.rowCount("crm_contacts"));
    assertEquals(31, db.rowCount("crm_leads"));
    assertEquals(34, db.rowCount("crm_opportunities"));
    assertEquals(8, db.rowCount("crm_users"));
    assertEquals(2086, db.lastRun("salesforce", "Account", "records_written"));
    for (String t : List.of("crm_accounts", "crm_contacts", "crm_leads", "crm_opportunities", "crm_users")) {
      db.assertAllUnifiedAgree(t);
    }
  }

  @Test
  void accountsCarryBillingAddressAndPhone() throws Exception {
    db.assertRow("crm_accounts", "001dM00003jU9GyQAK", "name", "Burlington Textiles Corp of America", "industry", "Apparel",
        "website", "www.burlington.com", "addresses", """
            [{"street_1": null, "street_2": null, "city": "Burlington", "state": "NC", "postal_code": null,
              "country": "USA", "address_type": "billing"}]""",
        "phone_numbers", "[{\"phone_number\": \"(336) 222-7000\", \"phone_number_type\": \"primary\"}]",
        "created_at", "2026-05-01T07:25:37Z", "updated_at", "2026-05-01T07:25:37Z", "is_deleted", false,
        "lifecycle_stage", null);
    db.assertRow("crm_accounts", "001dM00003jU9H7QAK", "name", "GenePoint", "industry", "Biotechnology",
        "phone_numbers", "[{\"phone_number\": \"(650) 867-3450\", \"phone_number_type\": \"primary\"}]");
    db.assertRow("crm_accounts", "001dM00003kROwjQAG", "name", "Test Account for Pagination 586 - 1778068628",
        "addresses", "[]", "phone_numbers", "[]", "last_modified_at", "2026-05-06T11:57:09Z");
  }

  @Test
  void contactsCarryMailingAddressEmailAndPhones() throws Exception {
    db.assertRow("crm_contacts", "003dM00001vWOXJQA4", "first_name", "Rose", "last_name", "Gonzalez",
        "account_id", "001dM00003jU9GxQAK", "addresses", """
            [{"street_1": "313 Constitution Place\\nAustin, TX 78767\\nUSA", "street_2": null, "city": null, "state": null,
              "postal_code": null, "country": null, "address_type": "mailing"}]""",
        "email_addresses", "[{\"email_address\": \"rose@edge.com\", \"email_address_type\": \"primary\"}]",
        "phone_numbers", """
            [{"phone_number": "(512) 757-6000", "phone_number_type": "primary"},
             {"phone_number": "(512) 757-9340", "phone_number_type": "mobile"}]""",
        "created_at", "2026-05-01T07:25:37Z");
    db.assertRow("crm_contacts", "003dM00001vWOXMQA4", "first_name", "Pat", "last_name", "Stumuller", "addresses", """
            [{"street_1": "2 Place Jussieu", "street_2": null, "city": "Paris", "state": null, "postal_code": "75251",
              "country": "France", "address_type": "mailing"}]""");
    db.assertRow("crm_contacts", "003dM00001vWOXNQA4", "first_name", "Andy", "last_name", "Young",
        "account_id", "001dM00003jU9H0QAK",
        "email_addresses", "[{\"email_address\": \"a_young@dickenson.com\", \"email_address_type\": \"primary\"}]");
  }

  @Test
  void leadsCarryCompanyTitleOwnerAndLastModified() throws Exception {
    db.assertRow("crm_leads", "00QDn00000BqtPnMAJ", "first_name", "dev nango", "last_name", "mock nango",
        "company", "Mock Company Example", "title", "Softare Engineer", "owner_id", "005Dn000006yWySIAU",
        "email_addresses", "[{\"email_address\": \"john-10lt.doe@gmail.com\", \"email_address_type\": \"primary\"}]",
        "phone_numbers", "[{\"phone_number\": \"987-650-990\", \"phone_number_type\": \"primary\"}]",
        "addresses", "[]", "created_at", null, "updated_at", "2024-10-31T03:49:13Z",
        "last_modified_at", "2024-10-31T03:49:13Z", "converted_date", null);
    db.assertRow("crm_leads", "00QDn00000BqtPTMAZ", "first_name", "dev", "last_name", "mock",
        "last_modified_at", "2024-10-31T03:42:51Z");
    db.assertRow("crm_leads", "00QDn00000E9aA4MAJ", "first_name", null, "last_name", "Test", "company", "Nango",
        "email_addresses", "[]", "phone_numbers", "[]", "title", null);
  }

  @Test
  void opportunitiesWithoutStatusFieldsAreOpenWhateverTheirStage() throws Exception {
    db.assertRow("crm_opportunities", "006dM00000Mw7VtQAJ", "name", "Dickenson Mobile Generators", "amount", 15000.0,
        "stage", "Qualification", "close_date", "2026-03-08T00:00:00Z", "owner_id", "005dM00000aYf0qQAC",
        "status", "OPEN", "pipeline", null);
    db.assertRow("crm_opportunities", "006dM00000Mw7VvQAJ", "name", "Express Logistics Standby Generator",
        "amount", 220000.0, "stage", "Closed Won", "status", "OPEN", "close_date", "2026-01-20T00:00:00Z");
    db.assertRow("crm_opportunities", "006dM00000Mw7VuQAJ", "amount", 125000.0, "stage", "Negotiation/Review");
  }

  @Test
  void opportunityStatusFollowsIsWonThenIsClosed() throws Exception {
    db.assertRow("crm_opportunities", "006SYNTHWON", "status", "WON", "amount", 1500.75, "account_id", "001dM00003jU9GyQAK",
        "created_at", "2024-01-01T13:00:00Z", "updated_at", "2024-03-01T09:00:00Z", "close_date", "2024-02-29T00:00:00Z",
        "is_deleted", false);
    db.assertRow("crm_opportunities", "006SYNTHLOST", "status", "LOST", "amount", null);
    db.assertRow("crm_opportunities", "006SYNTHOPEN", "status", "OPEN", "is_deleted", true);
    assertEquals(0, db.lastRun("salesforce", "Opportunity", "coerced"), "an empty amount is NULL, not a coercion");
  }

  @Test
  void usersWithoutNameJoinFirstAndLastName() throws Exception {
    db.assertRow("crm_users", "005dM00000aYaE6QAK", "name", "Platform Integration User", "email", "noreply@00ddm00000vfgtuuai",
        "is_active", true, "is_deleted", false);
    db.assertRow("crm_users", "005dM00000aYaE4QAK", "name", "Automated Process", "last_modified_at", "2026-05-01T07:35:37Z");
    db.assertRow("crm_users", "005dM00000awSFJQA2", "name", "Nango API", "email", "api@nango.dev",
        "last_modified_at", "2026-05-06T09:49:19Z");
  }
}
