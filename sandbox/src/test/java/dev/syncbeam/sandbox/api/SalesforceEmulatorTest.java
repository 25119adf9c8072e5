package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorTest {
  private static final String V = "/services/data/v59.0";
  static SandboxServer server;
  static SandboxClient acme;

  @BeforeAll
  static void start() {
    server = SandboxServer.start(SandboxConfig.defaults().withRecordsPerObject(60).withPageSize(7));
    acme = new SandboxClient(server.credentials("acme", "salesforce"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String q(String soql) {
    return V + "/queryAll?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
  }

  /** Follows nextRecordsUrl to the end; returns every record. */
  static List<JsonNode> readAll(String firstPath) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JsonNode page = acme.getJson(firstPath);
    while (true) {
      page.get("records").forEach(out::add);
      if (page.get("done").asBoolean()) return out;
      page = acme.getJson(page.get("nextRecordsUrl").asText());
    }
  }

  static List<String> ids(List<JsonNode> records) {
    return records.stream().map(r -> r.get("Id").asText()).toList();
  }

  @Test
  void queryAllPagesCoverEveryRecordOnceDeletedIncluded() throws Exception {
    List<JsonNode> read = readAll(q("SELECT Id, Name, IsDeleted, SystemModstamp FROM Account ORDER BY SystemModstamp ASC, Id ASC"));
    List<String> expected = ids(server.dataset().records("acme", "salesforce", "Account"));
    assertEquals(expected.size(), read.size());
    assertEquals(new HashSet<>(expected), new HashSet<>(ids(read)));
    assertTrue(read.stream().anyMatch(r -> r.get("IsDeleted").asBoolean()), "the seeded org has some deleted accounts");
    for (int i = 1; i < read.size(); i++) {
      assertTrue(read.get(i - 1).get("SystemModstamp").asText().compareTo(read.get(i).get("SystemModstamp").asText()) < 0, "strictly increasing SystemModstamp");
    }
  }

  @Test
  void writesBumpSystemModstampAndShowUpInIncrementalReads() throws Exception {
    List<JsonNode> contacts = server.dataset().live("acme", "salesforce", "Contact");
    String updated = contacts.get(0).get("Id").asText(), deleted = contacts.get(1).get("Id").asText();
    String before = contacts.stream().map(c -> c.get("SystemModstamp").asText()).max(String::compareTo).orElseThrow();
    HttpResponse<String> patch = acme.send("PATCH", V + "/sobjects/Contact/" + updated, "{\"Title\":\"CTO\"}");
    assertEquals(204, patch.statusCode());
    assertEquals(204, acme.send("DELETE", V + "/sobjects/Contact/" + deleted, null).statusCode());
    JsonNode created = acme.json("POST", V + "/sobjects/Contact", "{\"LastName\":\"Newman\",\"FirstName\":\"Ann\"}");
    assertTrue(created.get("success").asBoolean());

    String since = before.substring(0, 19) + "Z";
    List<JsonNode> changed = readAll(q("SELECT Id, Title, IsDeleted, SystemModstamp FROM Contact WHERE SystemModstamp > " + since
        + " ORDER BY SystemModstamp ASC, Id ASC"));
    assertEquals(List.of(updated, deleted, created.get("id").asText()), ids(changed));
    assertEquals("CTO", changed.get(0).get("Title").asText());
    assertTrue(changed.get(1).get("IsDeleted").asBoolean());
    List<JsonNode> live = readAll(V + "/query?q=" + URLEncoder.encode("SELECT Id FROM Contact", StandardCharsets.UTF_8));
    assertFalse(ids(live).contains(deleted), "query (not queryAll) hides deleted records");
  }

  @Test
  void idRangesSplitTheObjectWithoutOverlap() throws Exception {
    List<String> all = ids(server.dataset().records("acme", "salesforce", "Opportunity"));
    String mid = all.get(all.size() / 2);
    List<JsonNode> low = readAll(q("SELECT Id FROM Opportunity WHERE SystemModstamp >= 2020-01-01T00:00:00Z AND Id < '" + mid + "' ORDER BY Id ASC"));
    List<JsonNode> high = readAll(q("SELECT Id FROM Opportunity WHERE Id >= '" + mid + "' ORDER BY Id ASC"));
    List<String> both = new ArrayList<>(ids(low));
    both.addAll(ids(high));
    assertEquals(all, both);
  }

  @Test
  void bulkQueryResultsArePagedQuotedCsv() throws Exception {
    JsonNode job = acme.json("POST", V + "/jobs/query", "{\"operation\":\"queryAll\",\"query\":\"SELECT Id, Name, NumberOfEmployees, IsDeleted, SystemModstamp FROM Account\"}");
    assertEquals("UploadComplete", job.get("state").asText());
    String id = job.get("id").asText();
    assertEquals("InProgress", acme.getJson(V + "/jobs/query/" + id).get("state").asText());
    assertEquals("JobComplete", acme.getJson(V + "/jobs/query/" + id).get("state").asText());
    Set<String> seen = new HashSet<>();
    String locator = null;
    int rows = 0;
    do {
      HttpResponse<String> r = acme.get(V + "/jobs/query/" + id + "/results?maxRecords=9" + (locator == null ? "" : "&locator=" + locator));
      String[] lines = r.body().split("\n");
      assertEquals("\"Id\",\"Name\",\"NumberOfEmployees\",\"IsDeleted\",\"SystemModstamp\"", lines[0]);
      for (int i = 1; i < lines.length; i++) {
        assertTrue(lines[i].matches("(\"[^\"]*\",){4}\"[^\"]*\""), "every value quoted: " + lines[i]);
        assertTrue(seen.add(lines[i].substring(1, 19)));
        rows++;
      }
      assertEquals(String.valueOf(lines.length - 1), r.headers().firstValue("Sforce-NumberOfRecords").orElseThrow());
      locator = r.headers().firstValue("Sforce-Locator").orElseThrow();
    } while (!locator.equals("null"));
    assertEquals(server.dataset().records("acme", "salesforce", "Account").size(), rows);
  }

  @Test
  void describeListsFieldsAndMarksCompoundOnes() throws Exception {
    JsonNode d = acme.getJson(V + "/sobjects/Account/describe");
    assertEquals("Account", d.get("name").asText());
    JsonNode street = null, address = null;
    for (JsonNode f : d.get("fields")) {
      if (f.get("name").asText().equals("BillingStreet")) street = f;
      if (f.get("name").asText().equals("BillingAddress")) address = f;
    }
    assertEquals("BillingAddress", street.get("compoundFieldName").asText());
    assertEquals("address", address.get("type").asText());
    assertTrue(acme.getJson(V + "/sobjects/Invoice__c/describe").get("custom").asBoolean());
    assertEquals(400, acme.get(q("SELECT Id, Nope FROM Account")).statusCode());
  }

  @Test
  void responsesHaveTheFixturesShape() throws Exception {
    JsonNode fixture = SandboxClient.fixture("salesforce/query_account_v59_page1_of2_2000rec_nextRecordsUrl.json");
    JsonNode page = acme.getJson(q("SELECT Id, Name, SystemModstamp FROM Account"));
    assertEquals(SandboxClient.keys(fixture), SandboxClient.keys(page));
    assertEquals(SandboxClient.keys(fixture.get("records").get(0).get("attributes")), SandboxClient.keys(page.get("records").get(0).get("attributes")));
    JsonNode contacts = SandboxClient.fixture("salesforce/query_contact_v59_213rec.json").get("records").get(0);
    String fields = String.join(", ", SandboxClient.keys(contacts).stream().filter(k -> !k.equals("attributes")).toList());
    JsonNode ours = acme.getJson(q("SELECT " + fields + " FROM Contact")).get("records").get(0);
    assertEquals(SandboxClient.keys(contacts), SandboxClient.keys(ours));
    assertTrue(ours.get("SystemModstamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"));
    JsonNode job = SandboxClient.fixture("salesforce/bulk2_query_job_create_account.json");
    JsonNode ourJob = acme.json("POST", V + "/jobs/query", "{\"operation\":\"queryAll\",\"query\":\"SELECT Id FROM Account\"}");
    assertEquals(SandboxClient.keys(job), SandboxClient.keys(ourJob));
  }
}
