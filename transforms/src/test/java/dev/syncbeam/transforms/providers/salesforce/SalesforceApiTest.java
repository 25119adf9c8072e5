package dev.syncbeam.transforms.providers.salesforce;

import static dev.syncbeam.transforms.providers.http.LoopbackApi.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.providers.ApiReads;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.LoopbackApi;
import dev.syncbeam.transforms.providers.http.LoopbackApi.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SalesforceApiTest {
  private static final String DATA = "/services/data/v59.0";

  /** The recorded Account describe, and the recorded first query page (totalSize 2,086) for every queryAll. */
  private static void replayAccountDescribeAndFirstPage(LoopbackApi api) {
      api.on("GET", DATA + "/sobjects/Account/describe", Reply.file(fixture("salesforce/describe_account_v58_70fields_7custom.json")));
      api.on("GET", DATA + "/queryAll", Reply.file(fixture("salesforce/query_account_v59_page1_of2_2000rec_nextRecordsUrl.json")));
  }

  @Test
  void fullReadFollowsNextRecordsUrlThroughBothRecordedPages() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      replayAccountDescribeAndFirstPage(api);
      api.on("GET", DATA + "/query/0r8xx5R2yF2gs3VASQ-2000", Reply.file(fixture("salesforce/query_account_v59_page2_of2_86rec_done.json")));

      List<JsonNode> records = ApiReads.readAll(new SalesforceApi(), ApiReads.sync("salesforce", "Account", null, api.source("tok", null)));

      assertEquals(2086, records.size());
      assertEquals(2086, records.stream().map(r -> r.path("Id").asText()).distinct().count());
      assertTrue(records.stream().allMatch(r -> r.has("SystemModstamp") && r.has("attributes")), "records are handed on as returned");
      String soql = api.requests("GET", DATA + "/queryAll").get(1).q("q");
      assertTrue(soql.startsWith("SELECT Id, IsDeleted, MasterRecordId, Name"), soql);
      assertTrue(soql.contains("BillingCity") && soql.contains("SLAExpirationDate__c"), soql);
      assertFalse(soql.contains("BillingAddress") || soql.contains("ShippingAddress,"), "compound fields are skipped: " + soql);
      assertTrue(soql.endsWith(" FROM Account ORDER BY SystemModstamp ASC, Id ASC"), soql);
      assertEquals("Bearer tok", api.requests().get(0).authorization());
    }
  }

  @Test
  void incrementalReadFiltersOnSystemModstampInclusively() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", DATA + "/sobjects/Contact/describe", Reply.file(fixture("salesforce/describe_contact_v25_2custom.json")));
      api.on("GET", DATA + "/queryAll", Reply.file(fixture("salesforce/query_contact_v59_213rec.json")));
      PlannedSync sync = ApiReads.sync("salesforce", "Contact", Instant.parse("2024-03-01T10:15:30.250Z"), api.source("tok", null));

      assertEquals(213, ApiReads.readAll(new SalesforceApi(), sync).size());
      for (LoopbackApi.Request r : api.requests("GET", DATA + "/queryAll")) {
        assertTrue(r.q("q").contains(" FROM Contact WHERE SystemModstamp >= 2024-03-01T10:15:30Z ORDER BY"), r.q("q"));
      }
    }
  }

  @Test
  void largeObjectIsReadThroughABulkQueryAllJobFollowingLocators() throws Exception {
    try (LoopbackApi api = new LoopbackApi()) {
      replayAccountDescribeAndFirstPage(api);
      api.on("POST", DATA + "/jobs/query", Reply.file(fixture("salesforce/bulk2_query_job_create_account.json")));
      AtomicInteger polls = new AtomicInteger();
      api.on("GET", DATA + "/jobs/query/750ak000009AVi5AAG", r -> Reply.json(
          "{\"id\":\"750ak000009AVi5AAG\",\"state\":\"" + (polls.incrementAndGet() < 2 ? "InProgress" : "JobComplete") + "\"}"));
      Reply csv = Reply.file(fixture("salesforce/bulk_v1_query_result_case_3rows.csv"));
      api.on("GET", DATA + "/jobs/query/750ak000009AVi5AAG/results",
          r -> r.q("locator") == null ? csv.header("Sforce-Locator", "MjAwMDA") : csv.header("Sforce-Locator", "null"));

      PlannedSync sync = ApiReads.sync("salesforce", "Account", null, api.source("tok", null));
      SalesforceApi reader = new SalesforceApi(1000, Long.MAX_VALUE, 3);
      List<JsonNode> records = ApiReads.readAll(reader, sync);

      assertEquals(6, records.size(), "two result chunks of three rows");
      assertEquals("00001020", records.get(0).path("CaseNumber").asText());
      assertTrue(records.get(0).path("SuppliedName").isTextual(), "Bulk values are handed on as strings");
      String job = api.requests("POST", DATA + "/jobs/query").get(0).body();
      assertTrue(job.contains("\"operation\":\"queryAll\"") && job.contains("FROM Account ORDER BY"), job);
      List<LoopbackApi.Request> results = api.requests("GET", DATA + "/jobs/query/750ak000009AVi5AAG/results");
      assertEquals("3", results.get(0).q("maxRecords"));
      assertEquals("MjAwMDA", results.get(1).q("locator"));
      assertTrue(polls.get() >= 2, "the job is polled until complete");
    }
  }

  /** A fake Bulk server over five records that honours the Id-range filters of each job's SOQL. */
  @Test
  void veryLargeObjectIsSplitIntoIdRangesThatTogetherReadEveryRecordOnce() throws Exception {
    List<String> ids = List.of("001A", "001B", "001C", "001D", "001E");
    Map<String, String> jobs = new TreeMap<>();
    try (LoopbackApi api = new LoopbackApi()) {
      api.on("GET", DATA + "/sobjects/Account/describe", Reply.json(
          "{\"name\":\"Account\",\"fields\":[{\"name\":\"Id\",\"type\":\"id\"},{\"name\":\"Name\",\"type\":\"string\"},"
              + "{\"name\":\"SystemModstamp\",\"type\":\"datetime\"},{\"name\":\"BillingAddress\",\"type\":\"address\"},"
              + "{\"name\":\"Logo\",\"type\":\"base64\"}]}"));
      api.on("GET", DATA + "/queryAll", Reply.json("{\"totalSize\":5,\"done\":true,\"records\":[]}"));
      api.on("POST", DATA + "/jobs/query", r -> {
        String id = "750job" + jobs.size();
        synchronized (jobs) {
          jobs.put(id, r.body());
        }
        return Reply.json("{\"id\":\"" + id + "\",\"state\":\"UploadComplete\"}");
      });
      for (int j = 0; j < 10; j++) {
        String id = "750job" + j;
        api.on("GET", DATA + "/jobs/query/" + id, Reply.json("{\"id\":\"" + id + "\",\"state\":\"JobComplete\"}"));
        api.on("GET", DATA + "/jobs/query/" + id + "/results", r -> {
          String soql = jobs.get(id);
          Matcher lo = Pattern.compile("Id >= '(\\w+)'").matcher(soql);
          Matcher hi = Pattern.compile("Id < '(\\w+)'").matcher(soql);
          String from = lo.find() ? lo.group(1) : null;
          String to = hi.find() ? hi.group(1) : null;
          boolean idsOnly = soql.contains("SELECT Id FROM");
          StringBuilder csv = new StringBuilder(idsOnly ? "\"Id\"\n" : "\"Id\",\"Name\",\"SystemModstamp\"\n");
          for (String rec : ids) {
            if ((from == null || rec.compareTo(from) >= 0) && (to == null || rec.compareTo(to) < 0)) {
              csv.append('"').append(rec).append('"').append(idsOnly ? "\n" : ",\"n " + rec + "\",\"2026-05-01T07:25:37.000+0000\"\n");
            }
          }
          return Reply.json(csv.toString()).header("Sforce-Locator", "null");
        });
      }

      PlannedSync sync = ApiReads.sync("salesforce", "Account", null, api.source("tok", null));
      SalesforceApi reader = new SalesforceApi(1, 2, 100);
      ApiClient client = new ApiClient("salesforce", sync.api());
      List<SalesforceApi.SalesforceRead> tasks = reader.plan(sync, client);
      List<JsonNode> records = new ArrayList<>();
      for (SalesforceApi.SalesforceRead t : tasks) ApiReads.read(reader, sync, t, client, records);

      assertEquals(3, tasks.size(), "five records at two per range: three Bulk jobs, spread over workers");
      Set<String> read = new HashSet<>();
      records.forEach(r -> assertTrue(read.add(r.path("Id").asText()), "read twice: " + r));
      assertEquals(new HashSet<>(ids), read);
      jobs.values().forEach(job -> assertTrue(!job.contains("Logo") && !job.contains("BillingAddress"),
          "Bulk jobs select neither compound nor binary fields: " + job));
    }
  }
}
