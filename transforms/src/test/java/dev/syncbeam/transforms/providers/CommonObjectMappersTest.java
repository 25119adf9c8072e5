package dev.syncbeam.transforms.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.unified.Account;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.Contact;
import dev.syncbeam.schemas.unified.EmailAddress;
import dev.syncbeam.schemas.unified.LifecycleStage;
import dev.syncbeam.schemas.unified.Opportunity;
import dev.syncbeam.schemas.unified.OpportunityStatus;
import dev.syncbeam.schemas.unified.PhoneNumber;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import dev.syncbeam.schemas.unified.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider mappings of the unified model, record by record, without a pipeline. */
class CommonObjectMappersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Mapped(UnifiedRecord record, int coerced) {}

  private static Mapped map(String provider, String commonObject, String json, CommonLookups lookups) throws Exception {
    JsonNode r = JSON.readTree(json);
    ProviderRecords p = Providers.get(provider).records();
    FieldReader read = new FieldReader();
    UnifiedRecord u = Providers.get(provider).commonObjects().map(CommonObject.of(commonObject),
        new CommonObjectMapping.Input(r, p.id(r), p.lastModified(r), lookups, read));
    return new Mapped(u, read.coerced());
  }

  private static Mapped map(String provider, String commonObject, String json) throws Exception {
    return map(provider, commonObject, json, CommonLookups.NONE);
  }

  private static OpportunityStatus status(String provider, String json) throws Exception {
    return ((Opportunity) map(provider, "opportunities", json).record()).status();
  }

  private static OpportunityStatus hubspotStatus(String props) throws Exception {
    return status("hubspot", "{\"id\": \"1\", \"properties\": {" + props + "}}");
  }

  @Test
  void hubspotDealStatusIsWonThenLostThenOpen() throws Exception {
    assertEquals(OpportunityStatus.WON, hubspotStatus("\"hs_is_closed_won\": \"true\", \"hs_is_closed\": \"true\""));
    assertEquals(OpportunityStatus.LOST, hubspotStatus("\"hs_is_closed_won\": \"false\", \"hs_is_closed\": \"true\""));
    assertEquals(OpportunityStatus.OPEN, hubspotStatus("\"hs_is_closed_won\": \"false\", \"hs_is_closed\": \"false\""));
    assertEquals(OpportunityStatus.OPEN, hubspotStatus("\"dealname\": \"neither field\""));
  }

  private static OpportunityStatus salesforceStatus(String fields) throws Exception {
    return status("salesforce", "{\"Id\": \"006\"" + fields + "}");
  }

  @Test
  void salesforceOpportunityStatusIsWonThenLostThenOpen() throws Exception {
    assertEquals(OpportunityStatus.WON, salesforceStatus(", \"IsWon\": true, \"IsClosed\": true"));
    assertEquals(OpportunityStatus.LOST, salesforceStatus(", \"IsWon\": \"false\", \"IsClosed\": \"true\""));
    assertEquals(OpportunityStatus.OPEN, salesforceStatus(", \"IsWon\": false, \"IsClosed\": false"));
    assertEquals(OpportunityStatus.OPEN, salesforceStatus(""));
  }

  @Test
  void pipedriveDealStatusMapsKnownValuesOnlyAndDeletedMeansDeleted() throws Exception {
    for (String[] c : List.of(new String[] {"open", "OPEN"}, new String[] {"won", "WON"}, new String[] {"lost", "LOST"})) {
      Opportunity o = (Opportunity) map("pipedrive", "opportunities", "{\"id\": 1, \"status\": \"" + c[0] + "\"}").record();
      assertEquals(OpportunityStatus.valueOf(c[1]), o.status());
      assertFalse(o.meta().isDeleted());
    }
    Opportunity deleted = (Opportunity) map("pipedrive", "opportunities", "{\"id\": 1, \"status\": \"deleted\"}").record();
    assertNull(deleted.status());
    assertTrue(deleted.meta().isDeleted());
    assertTrue(map("pipedrive", "opportunities", "{\"id\": 1, \"status\": \"open\", \"deleted\": true}").record().meta().isDeleted());
  }

  @Test
  void hubspotMobilePhoneIsKept() throws Exception {
    Contact c = (Contact) map("hubspot", "contacts", """
        {"id": "5", "properties": {"phone": "+1 111", "mobilephone": "+1 222", "fax": "", "email": "a@b.io",
          "work_email": "w@b.io", "lifecyclestage": "marketingqualifiedlead"}, "updatedAt": "2024-01-01T00:00:00Z"}""").record();
    assertEquals(List.of(new PhoneNumber("+1 111", "primary"), new PhoneNumber("+1 222", "mobile")), c.phoneNumbers());
    assertEquals(List.of(new EmailAddress("a@b.io", "primary"), new EmailAddress("w@b.io", "work")), c.emailAddresses());
    assertEquals(LifecycleStage.MARKETINGQUALIFIEDLEAD, c.lifecycleStage());
  }

  @Test
  void hubspotDealTakesLabelsAndFirstAssociatedCompany(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("_pipelines"));
    Files.writeString(root.resolve("_pipelines/deals.json"), """
        {"results": [{"id": "default", "label": "Sales", "stages": [{"id": "s1", "label": "First"}]},
                     {"id": "p2", "label": "Renewals", "stages": [{"id": "s1", "label": "Renewal first"}]}]}""");
    CommonLookups lookups = Providers.get("hubspot").commonObjects().loadLookups(root.toString(), CommonObject.OPPORTUNITIES, w -> { });
    Opportunity o = (Opportunity) map("hubspot", "opportunities", """
        {"id": "9", "properties": {"pipeline": "p2", "dealstage": "s1", "amount": "10.25"},
         "associations": {"companies": {"results": [{"id": "c1", "type": "deal_to_company"}, {"id": "c2"}]}}}""",
        lookups).record();
    assertEquals("Renewals", o.pipeline());
    assertEquals("Renewal first", o.stage());
    assertEquals("c1", o.accountId());
    assertEquals(10.25, o.amount());
    Opportunity unknown = (Opportunity) map("hubspot", "opportunities",
        "{\"id\": \"9\", \"properties\": {\"pipeline\": \"p9\", \"dealstage\": \"s9\"}}", lookups).record();
    assertEquals("p9", unknown.pipeline(), "an unknown pipeline falls back to its id");
    assertEquals("s9", unknown.stage());
  }

  @Test
  void missingLookupsFallBackToIdsWithoutFailing(@TempDir Path root) throws Exception {
    List<String> warnings = new java.util.ArrayList<>();
    CommonLookups none = Providers.get("pipedrive").commonObjects().loadLookups(root.toString(), CommonObject.OPPORTUNITIES, warnings::add);
    Opportunity o = (Opportunity) map("pipedrive", "opportunities", "{\"id\": 4, \"stage_id\": 7, \"pipeline_id\": 2}", none)
        .record();
    assertEquals("7", o.stage());
    assertEquals("2", o.pipeline());
    assertEquals(1, warnings.size(), warnings.toString());
  }

  @Test
  void archivedHubSpotOwnerIsAnInactiveDeletedUser() throws Exception {
    User u = (User) map("hubspot", "users", """
        {"id": "52550153", "email": "x@y.io", "firstName": "Team-1", "lastName": "Airbyte",
         "createdAt": "2020-10-28T21:17:56.082Z", "updatedAt": "2023-01-31T00:25:34.448Z", "archived": true}""").record();
    assertEquals("Team-1 Airbyte", u.name());
    assertFalse(u.isActive());
    assertTrue(u.meta().isDeleted());
    assertEquals(Instant.parse("2023-01-31T00:25:34.448Z"), u.meta().lastModifiedAt());
  }

  @Test
  void pipedriveEntryTypesUseAllowedLabelsElsePrimaryElseOther() throws Exception {
    Contact c = (Contact) map("pipedrive", "contacts", """
        {"id": 8, "active_flag": true,
         "email": [{"label": "home", "value": "h@x.io", "primary": false}, {"label": "work", "value": "w@x.io", "primary": false},
                   {"label": "other", "value": "p@x.io", "primary": true}, {"label": "work", "value": "", "primary": false}],
         "phone": [{"label": "work", "value": "1", "primary": true}, {"label": "mobile", "value": "2", "primary": false},
                   {"label": "fax", "value": "3", "primary": false}, {"label": "home", "value": "4", "primary": false}]}""").record();
    assertEquals(List.of(new EmailAddress("h@x.io", "other"), new EmailAddress("w@x.io", "work"),
        new EmailAddress("p@x.io", "primary")), c.emailAddresses());
    assertEquals(List.of(new PhoneNumber("1", "primary"), new PhoneNumber("2", "mobile"), new PhoneNumber("3", "fax"),
        new PhoneNumber("4", "other")), c.phoneNumbers());
    assertFalse(c.meta().isDeleted());
    assertTrue(map("pipedrive", "contacts", "{\"id\": 8, \"active_flag\": false}").record().meta().isDeleted());
  }

  @Test
  void aRecordWithoutModificationTimeIsVersionedAtTheEpoch() throws Exception {
    Account a = (Account) map("salesforce", "accounts", "{\"Id\": \"001\", \"Name\": \"No stamp\"}").record();
    assertEquals(Instant.EPOCH, a.meta().lastModifiedAt());
    assertNull(a.meta().updatedAt());
  }

  @Test
  void valuesThatWillNotParseBecomeNullAndAreCounted() throws Exception {
    Mapped lots = map("salesforce", "accounts", "{\"Id\": \"001\", \"NumberOfEmployees\": \"lots\"}");
    assertNull(((Account) lots.record()).numberOfEmployees());
    assertEquals(1, lots.coerced());
    Mapped overflow = map("hubspot", "accounts", "{\"id\": \"1\", \"properties\": {\"numberofemployees\": \"3000000000\"}}");
    assertNull(((Account) overflow.record()).numberOfEmployees());
    assertEquals(1, overflow.coerced());
    Mapped whole = map("hubspot", "accounts", "{\"id\": \"1\", \"properties\": {\"numberofemployees\": \"250.0\"}}");
    assertEquals(250, ((Account) whole.record()).numberOfEmployees());
    assertEquals(0, whole.coerced());
    Mapped infinite = map("salesforce", "opportunities", "{\"Id\": \"006\", \"Amount\": 1e400, \"CloseDate\": \"2024-13-45\"}");
    assertNull(((Opportunity) infinite.record()).amount());
    assertNull(((Opportunity) infinite.record()).closeDate());
    assertEquals(2, infinite.coerced());
    Mapped unknownStage = map("hubspot", "contacts", "{\"id\": \"1\", \"properties\": {\"lifecyclestage\": \"1234567\"}}");
    assertNull(((Contact) unknownStage.record()).lifecycleStage());
    assertEquals(1, unknownStage.coerced());
    Mapped empty = map("salesforce", "opportunities", "{\"Id\": \"006\", \"Amount\": \"\", \"Name\": \"\"}");
    assertNull(((Opportunity) empty.record()).name());
    assertEquals(0, empty.coerced(), "an empty string is NULL, not a coercion");
  }

  @Test
  void pipedriveCustomFieldKeysBecomeNamesInRawData() throws Exception {
    String key = "a".repeat(40);
    CommonLookups fields = new CommonLookups(java.util.Map.of("field", java.util.Map.of(key, "Region")));
    String payload = "{\"id\":1,\"" + key + "\":\"EMEA\"}";
    String raw = Providers.get("pipedrive").commonObjects().rawData(CommonObject.OPPORTUNITIES, JSON.readTree(payload), payload, fields);
    assertEquals("{\"id\":1,\"Region\":\"EMEA\"}", raw);
    assertEquals(payload, Providers.get("pipedrive").commonObjects().rawData(CommonObject.OPPORTUNITIES, JSON.readTree(payload),
        payload, CommonLookups.NONE));
  }
}
