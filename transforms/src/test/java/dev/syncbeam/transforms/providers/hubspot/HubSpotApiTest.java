package dev.syncbeam.transforms.providers.hubspot;

import dev.syncbeam.schemas.unified.CommonObject;
import static dev.syncbeam.transforms.providers.http.LoopbackApi.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.providers.ApiReads;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.LoopbackApi;
import dev.syncbeam.transforms.providers.http.LoopbackApi.Reply;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubSpotApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EMPTY = "{\"results\":[]}";

  @Test
  void fullReadFollowsPagingAfterThenReadsTheArchivedListing() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/properties/contacts", Reply.file(fixture("hubspot/properties_contacts_v3_sampled.json")));
      Reply page1 = Reply.file(fixture("hubspot/contacts_list_v3_get_3rec_paging_next_link.json"));
      Reply page2 = Reply.file(fixture("hubspot/contacts_list_v3_get_26rec_single_page.json"));
      Reply archived = Reply.json("{\"results\":[{\"id\":\"9\",\"properties\":{},\"createdAt\":\"2023-01-01T00:00:00Z\","
          + "\"updatedAt\":\"2024-01-01T00:00:00Z\",\"archived\":true,\"archivedAt\":\"2024-02-01T00:00:00Z\"}]}");
      api.on("GET", "/crm/v3/objects/contacts",
          r -> r.q("archived").equals("true") ? archived : "394".equals(r.q("after")) ? page2 : page1);

      List<JsonNode> records = ApiReads.readAll(new HubSpotApi(), ApiReads.sync("hubspot", "contacts", null, api.source("tok", null)));

      assertEquals(3 + 26 + 1, records.size());
      assertTrue(records.get(29).path("archived").asBoolean());
      List<LoopbackApi.Request> lists = api.requests("GET", "/crm/v3/objects/contacts");
      assertNull(lists.get(0).q("after"));
      assertEquals("394", lists.get(1).q("after"));
      for (LoopbackApi.Request r : lists) {
        assertEquals("companies", r.q("associations"));
        assertEquals("100", r.q("limit"));
        assertTrue(r.q("properties").startsWith("address,mobilephone,") && r.q("properties").endsWith(",hobby__c"), r.q("properties"));
      }
    }
  }

  @Test
  void incrementalReadSearchesOnLastModifiedAndKeepsRecentArchives() throws Exception {
    Instant since = Instant.parse("2026-01-01T00:00:00Z");
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/properties/deals", Reply.file(fixture("hubspot/properties_deals_v3_178props.json")));
      Reply first = Reply.file(fixture("hubspot/deals_search_v3_post_5rec_paging_after.json"));
      Reply last = Reply.json("{\"total\":21,\"results\":[{\"id\":\"77\",\"properties\":{},\"createdAt\":\"2026-02-01T00:00:00Z\","
          + "\"updatedAt\":\"2026-03-01T00:00:00Z\",\"archived\":false}]}");
      api.on("POST", "/crm/v3/objects/deals/search", r -> r.body().contains("\"after\"") ? last : first);
      // search results carry no associations: the reader asks for them, a page at a time
      api.on("POST", "/crm/v3/associations/deals/companies/batch/read", Reply.json("{\"status\":\"COMPLETE\",\"results\":["
          + "{\"from\":{\"id\":\"77\"},\"to\":[{\"id\":\"9001\",\"type\":\"deal_to_company\"}]}]}"));
      api.on("GET", "/crm/v3/objects/deals", Reply.json("{\"results\":["
          + "{\"id\":\"1\",\"updatedAt\":\"2025-06-01T00:00:00Z\",\"archived\":true,\"archivedAt\":\"2026-01-05T00:00:00Z\"},"
          + "{\"id\":\"2\",\"updatedAt\":\"2025-06-01T00:00:00Z\",\"archived\":true,\"archivedAt\":\"2025-07-01T00:00:00Z\"}]}"));

      List<JsonNode> records = ApiReads.readAll(new HubSpotApi(), ApiReads.sync("hubspot", "deals", since, api.source("tok", null)));

      assertEquals(List.of("479475667160", "77", "1"), List.of(records.get(0).path("id").asText(), records.get(5).path("id").asText(),
          records.get(6).path("id").asText()));
      assertEquals(7, records.size(), "5 + 1 searched, and the one deal archived since");
      assertEquals("9001", records.get(5).path("associations").path("companies").path("results").path(0).path("id").asText());
      assertTrue(records.get(0).path("associations").isMissingNode(), "a deal without companies gets none");
      assertEquals(2, api.requests("POST", "/crm/v3/associations/deals/companies/batch/read").size(), "one batch read per search page");
      List<LoopbackApi.Request> searches = api.requests("POST", "/crm/v3/objects/deals/search");
      JsonNode body = JSON.readTree(searches.get(0).body());
      JsonNode filter = body.path("filterGroups").path(0).path("filters").path(0);
      assertEquals("hs_lastmodifieddate", filter.path("propertyName").asText());
      assertEquals("GTE", filter.path("operator").asText());
      assertEquals(String.valueOf(since.toEpochMilli()), filter.path("value").asText());
      assertEquals(178, body.path("properties").size());
      assertEquals("5", JSON.readTree(searches.get(1).body()).path("after").asText());
      assertEquals("true", api.requests("GET", "/crm/v3/objects/deals").get(0).q("archived"));
    }
  }

  /** Search refuses to page past 10,000: a bigger change set is read from the listing, filtered here, so none is missed. */
  @Test
  void searchBeyondTenThousandFallsBackToTheFilteredListing() throws Exception {
    Instant since = Instant.parse("2026-03-09T00:00:00Z");
    var recorded = fixture("hubspot/deals_list_v3_get_21rec.json");
    long changed = 0;
    for (JsonNode r : JSON.readTree(Files.readString(recorded)).path("results")) {
      if (!Instant.parse(r.path("updatedAt").asText()).isBefore(since)) changed++;
    }
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/properties/deals", Reply.json(EMPTY));
      api.on("POST", "/crm/v3/objects/deals/search", Reply.json("{\"total\":12000,\"results\":[{\"id\":\"x\"}],\"paging\":{\"next\":{\"after\":\"100\"}}}"));
      api.on("GET", "/crm/v3/objects/deals", r -> r.q("archived").equals("true") ? Reply.json(EMPTY) : Reply.file(recorded));

      List<JsonNode> records = ApiReads.readAll(new HubSpotApi(), ApiReads.sync("hubspot", "deals", since, api.source("tok", null)));

      assertTrue(changed > 0 && changed < 21, "the fixture straddles the cut-off: " + changed);
      assertEquals(changed, records.size());
      assertEquals(1, api.requests("POST", "/crm/v3/objects/deals/search").size(), "no search page past the first");
      assertEquals("companies", api.requests("GET", "/crm/v3/objects/deals").get(0).q("associations"));
    }
  }

  @Test
  void ownersAreListedLiveAndArchived() throws Exception {
    // resolved here, not in the server's thread, so a missing fixtures folder skips the test
    var archived = fixture("hubspot/owners_list_v3_archived_true_1rec.json");
    var live = fixture("hubspot/owners_list_v3_2rec.json");
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/owners", r -> Reply.file(r.q("archived").equals("true") ? archived : live));

      List<JsonNode> records = ApiReads.readAll(new HubSpotApi(), ApiReads.sync("hubspot", "owners", null, api.source("tok", null)));

      assertEquals(3, records.size());
      assertEquals(1, records.stream().filter(r -> r.path("archived").asBoolean()).count());
      assertEquals("52550153", records.get(2).path("id").asText());
    }
  }

  @Test
  void customObjectIsReadByItsSchemaObjectTypeId() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/schemas", Reply.json("{\"results\":[{\"id\":\"123\",\"name\":\"cars\",\"objectTypeId\":\"2-123\"}]}"));
      api.on("GET", "/crm/v3/properties/2-123", Reply.json("{\"results\":[{\"name\":\"model\"}]}"));
      api.on("GET", "/crm/v3/objects/2-123", r -> r.q("archived").equals("true") ? Reply.json(EMPTY)
          : Reply.json("{\"results\":[{\"id\":\"5\",\"properties\":{\"model\":\"T\"},\"updatedAt\":\"2026-01-01T00:00:00Z\",\"archived\":false}]}"));

      List<JsonNode> records = ApiReads.readAll(new HubSpotApi(), ApiReads.sync("hubspot", "cars", null, api.source("tok", null)));

      assertEquals("T", records.get(0).path("properties").path("model").asText());
      assertEquals("model", api.requests("GET", "/crm/v3/objects/2-123").get(0).q("properties"));
      assertNull(api.requests("GET", "/crm/v3/objects/2-123").get(0).q("associations"));
    }
  }

  @Test
  void noCustomSchemasLeavesTheNameAsTheType() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/schemas", Reply.file(fixture("hubspot/schemas_v3_custom_objects_empty.json")));
      assertEquals("widgets", HubSpotApi.objectType("widgets", new ApiClient("hubspot", api.source("tok", null))));
    }
  }

  @Test
  void dealPipelinesBecomeTheOpportunityLookups() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/crm/v3/pipelines/deals", Reply.file(fixture("hubspot/pipelines_deals_v3.json")));
      List<String> warnings = new ArrayList<>();
      CommonLookups lookups = new HubSpotApi().lookups("deals", CommonObject.OPPORTUNITIES,
          new ApiClient("hubspot", api.source("tok", null)), warnings::add);

      assertEquals("Sales Pipeline", lookups.label(HubSpotCommonObjects.PIPELINES, "default"));
      assertEquals(7, lookups.table(HubSpotCommonObjects.STAGES).keySet().stream().filter(k -> k.startsWith("default/")).count());
      assertTrue(warnings.isEmpty(), warnings.toString());
    }
  }
}
