package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorTest {
  static SandboxServer server;
  static SandboxClient acme;

  @BeforeAll
  static void start() {
    server = SandboxServer.start(SandboxConfig.defaults().withRecordsPerObject(60).withPageSize(100));
    acme = new SandboxClient(server.credentials("acme", "hubspot"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<JsonNode> list(String path) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String next = path;
    while (next != null) {
      JsonNode page = acme.getJson(next);
      page.get("results").forEach(out::add);
      next = page.has("paging") ? path + "&after=" + page.get("paging").get("next").get("after").asText() : null;
    }
    return out;
  }

  static List<String> ids(List<JsonNode> records) {
    return records.stream().map(r -> r.get("id").asText()).toList();
  }

  static String search(String property, long sinceMillis, String after) {
    return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"" + property + "\",\"operator\":\"GTE\",\"value\":\"" + sinceMillis + "\"}]}],"
        + "\"sorts\":[{\"propertyName\":\"" + property + "\",\"direction\":\"ASCENDING\"}],\"properties\":[\"email\"],\"limit\":200,\"after\":\"" + after + "\"}";
  }

  @Test
  void listPagesCoverLiveRecordsOnceAndArchivedListsOnlyArchived() throws Exception {
    List<JsonNode> live = list("/crm/v3/objects/companies?limit=7&archived=false");
    assertEquals(server.dataset().liveIds("acme", "hubspot", "companies"), ids(live));
    assertEquals(ids(live).size(), new HashSet<>(ids(live)).size());
    List<JsonNode> archived = list("/crm/v3/objects/companies?limit=7&archived=true");
    assertEquals(server.dataset().deletedIds("acme", "hubspot", "companies"), ids(archived));
    archived.forEach(r -> assertTrue(r.has("archivedAt")));
  }

  @Test
  void contactsCarryCompanyAssociationsOnRequest() throws Exception {
    JsonNode page = acme.getJson("/crm/v3/objects/contacts?limit=3&properties=email,firstname&associations=companies");
    JsonNode first = page.get("results").get(0);
    assertEquals("contact_to_company", first.get("associations").get("companies").get("results").get(0).get("type").asText());
    assertTrue(first.get("properties").has("lastmodifieddate"));
    assertTrue(page.get("paging").get("next").get("link").asText().startsWith(server.credentials("acme", "hubspot").baseUrl()));
  }

  @Test
  void deleteArchivesRestoreUnarchivesAndSearchSeesOnlyLive() throws Exception {
    String id = server.dataset().liveIds("acme", "hubspot", "deals").get(0);
    long before = Instant.now().toEpochMilli() - 1;
    JsonNode patched = acme.json("PATCH", "/crm/v3/objects/deals/" + id, "{\"properties\":{\"amount\":\"999\"}}");
    assertEquals("999", patched.get("properties").get("amount").asText());
    JsonNode found = acme.json("POST", "/crm/v3/objects/deals/search", search("hs_lastmodifieddate", before, "0"));
    assertEquals(List.of(id), ids(toList(found.get("results"))));
    assertEquals(204, acme.send("DELETE", "/crm/v3/objects/deals/" + id, null).statusCode());
    assertEquals(0, acme.json("POST", "/crm/v3/objects/deals/search", search("hs_lastmodifieddate", before, "0")).get("total").asInt());
    assertTrue(ids(list("/crm/v3/objects/deals?limit=100&archived=true")).contains(id));
    acme.json("POST", "/crm/v3/objects/deals/" + id + "/restore", "{}");
    assertTrue(ids(list("/crm/v3/objects/deals?limit=100")).contains(id));
  }

  @Test
  void searchRefusesToPagePastTenThousand() throws Exception {
    long since = Instant.now().toEpochMilli();
    server.dataset().generate("globex", "hubspot", "contacts", 10_050);
    SandboxClient globex = new SandboxClient(server.credentials("globex", "hubspot"));
    String after = "0";
    int seen = 0;
    String lastModified = "";
    while (true) {
      var r = globex.send("POST", "/crm/v3/objects/contacts/search", search("lastmodifieddate", since, after));
      if (Integer.parseInt(after) >= 10_000) {
        assertEquals(400, r.statusCode(), "paging to after >= 10000 is refused");
        break;
      }
      JsonNode page = Json.MAPPER.readTree(r.body());
      assertEquals(10_050, page.get("total").asInt());
      for (JsonNode c : page.get("results")) {
        String m = c.get("properties").get("lastmodifieddate").asText();
        assertTrue(m.compareTo(lastModified) > 0, "ascending, strictly increasing per object");
        lastModified = m;
        seen++;
      }
      after = page.get("paging").get("next").get("after").asText();
    }
    assertEquals(10_000, seen);
  }

  @Test
  void ownersPipelinesPropertiesAndFixtureShapes() throws Exception {
    JsonNode owners = acme.getJson("/crm/v3/owners?limit=100&archived=true");
    owners.get("results").forEach(o -> assertTrue(o.get("archived").asBoolean()));
    JsonNode fixtureOwners = SandboxClient.fixture("hubspot/owners_list_v3_2rec.json");
    assertEquals(SandboxClient.keys(fixtureOwners.get("results").get(0)), SandboxClient.keys(acme.getJson("/crm/v3/owners?limit=1").get("results").get(0)));
    JsonNode pipelines = acme.getJson("/crm/v3/pipelines/deals");
    JsonNode fixturePipelines = SandboxClient.fixture("hubspot/pipelines_deals_v3.json");
    assertEquals(SandboxClient.keys(fixturePipelines.get("results").get(0)), SandboxClient.keys(pipelines.get("results").get(0)));
    assertEquals(SandboxClient.keys(fixturePipelines.get("results").get(0).get("stages").get(0)),
        SandboxClient.keys(pipelines.get("results").get(0).get("stages").get(0)));
    JsonNode fixtureContacts = SandboxClient.fixture("hubspot/contacts_list_v3_get_3rec_paging_next_link.json");
    JsonNode contacts = acme.getJson("/crm/v3/objects/contacts?limit=3&properties=email");
    assertEquals(SandboxClient.keys(fixtureContacts), SandboxClient.keys(contacts));
    assertEquals(SandboxClient.keys(fixtureContacts.get("paging").get("next")), SandboxClient.keys(contacts.get("paging").get("next")));
    JsonNode fixtureDeals = SandboxClient.fixture("hubspot/deals_list_v3_get_21rec.json").get("results").get(0);
    String props = String.join(",", SandboxClient.keys(fixtureDeals.get("properties")));
    JsonNode deal = acme.getJson("/crm/v3/objects/deals?limit=1&properties=" + props).get("results").get(0);
    assertEquals(SandboxClient.keys(fixtureDeals), SandboxClient.keys(deal));
    assertTrue(SandboxClient.keys(deal.get("properties")).containsAll(SandboxClient.keys(fixtureDeals.get("properties"))));
    JsonNode fixtureSearch = SandboxClient.fixture("hubspot/deals_search_v3_post_5rec_paging_after.json");
    assertEquals(SandboxClient.keys(fixtureSearch), SandboxClient.keys(acme.json("POST", "/crm/v3/objects/deals/search", "{\"limit\":2}")));
    assertTrue(acme.getJson("/crm/v3/properties/contacts").get("results").size() > 5);
    assertEquals(0, acme.getJson("/crm/v3/schemas").get("results").size());
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
