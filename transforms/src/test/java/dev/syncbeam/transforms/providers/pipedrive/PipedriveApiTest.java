package dev.syncbeam.transforms.providers.pipedrive;

import dev.syncbeam.schemas.unified.CommonObject;
import static dev.syncbeam.transforms.providers.http.LoopbackApi.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.ApiReads;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.LoopbackApi;
import dev.syncbeam.transforms.providers.http.LoopbackApi.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PipedriveApiTest {
  private static ApiSource source(LoopbackApi api) {
    return new ApiSource(api.baseUrl(), null, "pd-token", null, null, null, null, 3, 5);
  }

  @ParameterizedTest
  @CsvSource({"persons, persons_list_v1_7rec.json, 7", "organizations, organizations_list_v1_8rec.json, 8",
      "deals, deals_list_v1_8rec.json, 8", "leads, leads_list_v1_7rec.json, 7", "users, users_list_v1.json, 1"})
  void fullReadReplaysTheRecordedList(String object, String file, int count) throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/" + object, Reply.file(fixture("pipedrive/" + file)));

      List<JsonNode> records = ApiReads.readAll(new PipedriveApi(), ApiReads.sync("pipedrive", object, null, source(api)));

      assertEquals(count, records.size());
      assertTrue(records.stream().allMatch(r -> r.hasNonNull("id")));
      LoopbackApi.Request r = api.requests().get(0);
      assertEquals("0", r.q("start"));
      assertEquals("100", r.q("limit"));
      assertEquals("pd-token", r.q("api_token"));
    }
  }

  @Test
  void listFollowsNextStartWhileMoreItemsRemain() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/persons", r -> Reply.json(r.q("start").equals("0")
          ? "{\"success\":true,\"data\":[{\"id\":1},{\"id\":2}],\"additional_data\":{\"pagination\":{\"start\":0,\"limit\":2,\"more_items_in_collection\":true,\"next_start\":2}}}"
          : "{\"success\":true,\"data\":[{\"id\":3}],\"additional_data\":{\"pagination\":{\"start\":2,\"limit\":2,\"more_items_in_collection\":false}}}"));

      List<JsonNode> records = ApiReads.readAll(new PipedriveApi(2), ApiReads.sync("pipedrive", "persons", null, source(api)));

      assertEquals(List.of(1, 2, 3), records.stream().map(r -> r.path("id").asInt()).toList());
      assertEquals("2", api.requests().get(1).q("start"));
    }
  }

  @Test
  void incrementalReadTakesChangedAndDeletedItemsFromRecents() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/recents", Reply.json("{\"success\":true,\"data\":["
          + "{\"item\":\"person\",\"id\":7,\"data\":{\"id\":7,\"name\":\"Ann\",\"update_time\":\"2026-05-15 10:11:04\"}},"
          + "{\"item\":\"person\",\"id\":8,\"data\":{\"id\":8,\"update_time\":\"2026-05-15 10:12:00\",\"delete_time\":\"2026-05-15 10:12:00\",\"active_flag\":false}}],"
          + "\"additional_data\":{\"pagination\":{\"start\":0,\"limit\":100,\"more_items_in_collection\":false},"
          + "\"since_timestamp\":\"2026-05-15 10:00:00\",\"last_timestamp_on_page\":\"2026-05-15 10:12:00\"}}"));
      Instant since = Instant.parse("2026-05-15T10:00:00.750Z");

      List<JsonNode> records = ApiReads.readAll(new PipedriveApi(), ApiReads.sync("pipedrive", "persons", since, source(api)));

      assertEquals(2, records.size());
      assertEquals("2026-05-15 10:12:00", records.get(1).path("delete_time").asText());
      LoopbackApi.Request r = api.requests("GET", "/v1/recents").get(0);
      assertEquals("2026-05-15 10:00:00", r.q("since_timestamp"));
      assertEquals("person", r.q("items"));
    }
  }

  @Test
  void incrementalUsersAreListedAndFilteredByModified() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/users", Reply.json("{\"success\":true,\"data\":[{\"id\":1,\"modified\":\"2026-05-15 09:12:14\"},"
          + "{\"id\":2,\"modified\":\"2026-04-01 00:00:00\"}]}"));
      List<JsonNode> records = ApiReads.readAll(new PipedriveApi(),
          ApiReads.sync("pipedrive", "users", Instant.parse("2026-05-01T00:00:00Z"), source(api)));
      assertEquals(List.of(1), records.stream().map(r -> r.path("id").asInt()).toList());
    }
  }

  /** The real /v1/recents carries no leads: incremental lead reads list them all (archived too) and filter. */
  @Test
  void incrementalLeadsAreListedWithArchivedOnesAndFiltered() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/leads", Reply.json("{\"success\":true,\"data\":["
          + "{\"id\":\"a\",\"update_time\":\"2026-05-15T09:12:14.000Z\",\"is_archived\":true},"
          + "{\"id\":\"b\",\"update_time\":\"2026-04-01T00:00:00.000Z\",\"is_archived\":false}]}"));
      List<JsonNode> records = ApiReads.readAll(new PipedriveApi(),
          ApiReads.sync("pipedrive", "leads", Instant.parse("2026-05-01T00:00:00Z"), source(api)));
      assertEquals(List.of("a"), records.stream().map(r -> r.path("id").asText()).toList());
      assertEquals("all", api.requests("GET", "/v1/leads").get(0).q("archived_status"));
      assertEquals(0, api.requests("GET", "/v1/recents").size());
    }
  }

  @Test
  void opportunityLookupsComeFromStagesPipelinesAndDealFields() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", "/v1/stages", Reply.json("{\"success\":true,\"data\":[{\"id\":3,\"name\":\"Qualified\",\"pipeline_id\":1}]}"));
      api.on("GET", "/v1/pipelines", Reply.json("{\"success\":true,\"data\":[{\"id\":1,\"name\":\"Sales\"}]}"));
      api.on("GET", "/v1/dealFields", Reply.file(fixture("pipedrive/dealFields_v1.json")));
      List<String> warnings = new ArrayList<>();

      CommonLookups lookups = new PipedriveApi().lookups("deals", CommonObject.OPPORTUNITIES, new ApiClient("pipedrive", source(api)), warnings::add);

      assertEquals("Qualified", lookups.label(PipedriveCommonObjects.STAGES, "3"));
      assertEquals("Sales", lookups.label(PipedriveCommonObjects.PIPELINES, "1"));
      assertEquals("Title", lookups.label(PipedriveCommonObjects.FIELDS, "title"));
      assertTrue(warnings.isEmpty(), warnings.toString());
    }
  }
}
