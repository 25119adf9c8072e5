package dev.syncbeam.transforms.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.hubspot.HubSpotWrites;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveWrites;
import dev.syncbeam.transforms.providers.salesforce.SalesforceWrites;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unified → provider write mappings, rule by rule (the write direction of Supaglue's mapper tests). */
class CommonObjectWritesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode HUBSPOT_PIPELINES = json("""
      {"results":[{"id":"default","label":"Sales Pipeline","stages":[{"id":"appointmentscheduled","label":"Appointment Scheduled"},
        {"id":"closedwon","label":"Closed Won"}]},
        {"id":"75e28846","label":"Renewals","stages":[{"id":"1001","label":"Renewal Due"}]}]}""");
  private static final PipedriveWrites.Lookups PIPEDRIVE = new PipedriveWrites.Lookups(
      json("{\"data\":[{\"id\":0,\"name\":\"Inbound\"},{\"id\":1,\"name\":\"Sales\"}]}"),
      json("{\"data\":[{\"id\":0,\"name\":\"New\",\"pipeline_id\":0},{\"id\":7,\"name\":\"Qualified\",\"pipeline_id\":1},"
          + "{\"id\":8,\"name\":\"New\",\"pipeline_id\":1}]}"),
      json("{\"data\":[{\"key\":\"abc123\",\"name\":\"Contract tier\",\"field_type\":\"enum\",\"options\":[{\"id\":1,\"label\":\"Gold\"},"
          + "{\"id\":2,\"label\":\"Silver\"}]},{\"key\":\"def456\",\"name\":\"Region\",\"field_type\":\"varchar\"}]}"));

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static UnifiedWrite write(CommonObject object, String record) {
    return new UnifiedWrite(object, (ObjectNode) json(record));
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void absentFieldsAreNotSentAndAPresentListIsTheWholeList() {
    ObjectNode body = SalesforceWrites.body(write(CommonObject.CONTACTS,
        "{\"first_name\":\"Ann\",\"phone_numbers\":[{\"phone_number\":\"+1 555\",\"phone_number_type\":\"mobile\"}]}"));
    assertEquals(List.of("FirstName", "Phone", "MobilePhone", "Fax"), keys(body));
    assertEquals("", body.get("Phone").asText());
    assertEquals("+1 555", body.get("MobilePhone").asText());
    assertEquals("", body.get("Fax").asText());
    ObjectNode cleared = SalesforceWrites.body(write(CommonObject.ACCOUNTS, "{\"addresses\":[],\"owner_id\":\"005X\"}"));
    assertEquals(List.of("BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "ShippingStreet",
        "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry", "OwnerId"), keys(cleared));
    assertEquals("005X", cleared.get("OwnerId").asText(), "fixed: the owner is written");
  }

  @Test
  void customFieldsGoLastVerbatimAndWinOverMappedOnes() {
    ObjectNode body = SalesforceWrites.body(write(CommonObject.ACCOUNTS,
        "{\"name\":\"Acme\",\"custom_fields\":{\"Name\":\"Acme Corp\",\"Tier__c\":3}}"));
    assertEquals(List.of("Name", "Tier__c"), keys(body));
    assertEquals("Acme Corp", body.get("Name").asText());
    assertEquals(3, body.get("Tier__c").asInt());
  }

  @Test
  void salesforceLeadAddressUsesPostalCodeNotZip() {
    ObjectNode body = SalesforceWrites.body(write(CommonObject.LEADS, "{\"last_name\":\"Lee\",\"company\":\"Initech\","
        + "\"addresses\":[{\"street_1\":\"1 Main\",\"postal_code\":\"94105\",\"address_type\":\"primary\"}]}"));
    assertEquals("94105", body.get("PostalCode").asText());
    assertFalse(body.has("Zip"));
    assertEquals("1 Main", body.get("Street").asText());
  }

  @Test
  void aSearchValueCannotEndItsSoqlLiteral() {
    assertEquals("o\\'brien\\\\", SalesforceWrites.soqlText("o'brien\\"));
  }

  @Test
  void hubspotValuesAreStringsAndNullIsEmpty() {
    ObjectNode props = HubSpotWrites.properties(write(CommonObject.ACCOUNTS,
        "{\"name\":null,\"number_of_employees\":120,\"phone_numbers\":[]}"), JSON.createObjectNode());
    assertEquals("", props.get("name").asText());
    assertEquals("120", props.get("numberofemployees").textValue());
    assertEquals("", props.get("phone").textValue());
    ObjectNode contact = HubSpotWrites.properties(write(CommonObject.CONTACTS, "{\"email_addresses\":["
        + "{\"email_address\":\"a@x.io\",\"email_address_type\":\"work\"}]}"), JSON.createObjectNode());
    assertEquals("", contact.get("email").asText());
    assertEquals("a@x.io", contact.get("work_email").asText());
  }

  @Test
  void hubspotPipelineAndStageResolveByIdOrLabelInsideThePipeline() {
    ObjectNode byLabel = HubSpotWrites.properties(write(CommonObject.OPPORTUNITIES,
        "{\"pipeline\":\"Renewals\",\"stage\":\"Renewal Due\"}"), HUBSPOT_PIPELINES);
    assertEquals("75e28846", byLabel.get("pipeline").asText());
    assertEquals("1001", byLabel.get("dealstage").asText());
    ObjectNode byId = HubSpotWrites.properties(write(CommonObject.OPPORTUNITIES, "{\"stage\":\"closedwon\"}"), HUBSPOT_PIPELINES);
    assertEquals("closedwon", byId.get("dealstage").asText());
    assertFalse(byId.has("pipeline"));
    WriteRefusedException pipeline = assertThrows(WriteRefusedException.class, () -> HubSpotWrites.properties(
        write(CommonObject.OPPORTUNITIES, "{\"pipeline\":\"Nope\"}"), HUBSPOT_PIPELINES));
    assertEquals("Pipeline not found: Nope", pipeline.getMessage());
    WriteRefusedException stage = assertThrows(WriteRefusedException.class, () -> HubSpotWrites.properties(
        write(CommonObject.OPPORTUNITIES, "{\"pipeline\":\"Renewals\",\"stage\":\"Closed Won\"}"), HUBSPOT_PIPELINES));
    assertEquals("Stage not found: Closed Won", stage.getMessage(), "a stage of another pipeline is not found");
  }

  @Test
  void hubspotHasNoLeads() {
    assertThrows(WriteRefusedException.class, () -> HubSpotWrites.properties(write(CommonObject.LEADS, "{\"title\":\"x\"}"),
        JSON.createObjectNode()));
  }

  @Test
  void pipedrivePersonNeedsANameOnCreate() {
    WriteRefusedException none = assertThrows(WriteRefusedException.class,
        () -> PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"owner_id\":\"3\"}"), true, PipedriveWrites.Lookups.NONE));
    assertEquals(PipedriveWrites.NO_NAME, none.getMessage());
    assertFalse(PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"owner_id\":\"3\"}"), false, PipedriveWrites.Lookups.NONE)
        .has("name"), "an update without a name leaves the name alone");
    assertEquals("Lee", PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"last_name\":\"Lee\"}"), true,
        PipedriveWrites.Lookups.NONE).get("name").asText());
    ObjectNode both = PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"first_name\":\"Ann\",\"last_name\":\"Lee\","
        + "\"account_id\":\"12\",\"email_addresses\":[{\"email_address\":\"a@x.io\",\"email_address_type\":\"work\"},"
        + "{\"email_address\":\"b@x.io\",\"email_address_type\":\"other\"}]}"), true, PipedriveWrites.Lookups.NONE);
    assertEquals("Ann Lee", both.get("name").asText());
    assertEquals(12, both.get("org_id").asInt());
    assertEquals(json("[{\"label\":\"work\",\"value\":\"a@x.io\"},{\"label\":\"other\",\"value\":\"b@x.io\"}]"), both.get("email"));
  }

  @Test
  void aPipedrivePersonUpdateNamingHalfTheNameKeepsTheOtherHalf() throws Exception {
    JsonNode current = new ObjectMapper().readTree("{\"id\": 7, \"name\": \"Ann Lee\", \"first_name\": \"Ann\", \"last_name\": \"Lee\"}");
    assertEquals("Anna Lee", PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"first_name\":\"Anna\"}"), false,
        PipedriveWrites.Lookups.NONE, current).get("name").asText());
    assertEquals("Ann Lee-Smith", PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"last_name\":\"Lee-Smith\"}"), false,
        PipedriveWrites.Lookups.NONE, current).get("name").asText());
    assertEquals("Bo Chan", PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"first_name\":\"Bo\",\"last_name\":\"Chan\"}"), false,
        PipedriveWrites.Lookups.NONE, current).get("name").asText());
  }

  @Test
  void pipedriveLeadNeedsALinkedPersonOrOrganization() {
    WriteRefusedException refused = assertThrows(WriteRefusedException.class,
        () -> PipedriveWrites.body(write(CommonObject.LEADS, "{\"title\":\"Big one\"}"), true, PipedriveWrites.Lookups.NONE));
    assertEquals(PipedriveWrites.NO_LINK, refused.getMessage());
    ObjectNode ok = PipedriveWrites.body(write(CommonObject.LEADS, "{\"title\":\"Big one\",\"converted_account_id\":\"4\"}"), true,
        PipedriveWrites.Lookups.NONE);
    assertEquals(4, ok.get("organization_id").asInt());
  }

  @Test
  void pipedrivePipelineIdZeroIsARealPipeline() {
    ObjectNode body = PipedriveWrites.body(write(CommonObject.OPPORTUNITIES, "{\"name\":\"Deal\",\"pipeline\":\"0\",\"stage\":\"New\","
        + "\"amount\":1250.5,\"close_date\":\"2026-03-01T00:00:00Z\"}"), true, PIPEDRIVE);
    assertEquals(0, body.get("pipeline_id").asInt());
    assertEquals(0, body.get("stage_id").asInt(), "the New stage of pipeline 0, not of pipeline 1");
    assertEquals("1250.5", body.get("value").textValue());
    assertEquals("2026-03-01", body.get("expected_close_date").asText(), "fixed: the close date is written");
    ObjectNode sales = PipedriveWrites.body(write(CommonObject.OPPORTUNITIES, "{\"pipeline\":\"Sales\",\"stage\":\"New\"}"), false, PIPEDRIVE);
    assertEquals(8, sales.get("stage_id").asInt());
    assertEquals("Stage not found: Qualified", assertThrows(WriteRefusedException.class, () -> PipedriveWrites.body(
        write(CommonObject.OPPORTUNITIES, "{\"pipeline\":\"Inbound\",\"stage\":\"Qualified\"}"), false, PIPEDRIVE)).getMessage());
    assertEquals("Pipeline not found: 9", assertThrows(WriteRefusedException.class, () -> PipedriveWrites.body(
        write(CommonObject.OPPORTUNITIES, "{\"pipeline\":\"9\"}"), false, PIPEDRIVE)).getMessage());
  }

  @Test
  void pipedriveCustomFieldsByNameUnderTheirKeyWithOptionIds() {
    ObjectNode body = PipedriveWrites.body(write(CommonObject.CONTACTS, "{\"first_name\":\"Ann\","
        + "\"custom_fields\":{\"Contract tier\":\"Silver\",\"Region\":\"EMEA\"}}"), true, PIPEDRIVE);
    assertEquals(2, body.get("abc123").asInt());
    assertEquals("EMEA", body.get("def456").asText());
    assertThrows(WriteRefusedException.class, () -> PipedriveWrites.body(write(CommonObject.CONTACTS,
        "{\"first_name\":\"Ann\",\"custom_fields\":{\"Contract tier\":\"Bronze\"}}"), true, PIPEDRIVE));
    assertThrows(WriteRefusedException.class, () -> PipedriveWrites.body(write(CommonObject.CONTACTS,
        "{\"first_name\":\"Ann\",\"custom_fields\":{\"Nope\":1}}"), true, PIPEDRIVE));
  }
}
