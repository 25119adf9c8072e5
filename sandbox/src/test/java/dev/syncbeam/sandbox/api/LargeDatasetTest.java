package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Ten customers with 100,000 records per object start and serve deep pages inside the test JVM's
 * 2 GB heap: seeded records are generated per page, never stored. The heap after GC is printed.
 */
class LargeDatasetTest {
  static final int RECORDS = 100_000;

  static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void tenCustomersOfOneHundredThousandRecordsPerObjectServeDeepPages() throws Exception {
    long before = heapAfterGc();
    try (SandboxServer server = SandboxServer.start(SandboxConfig.defaults().withCustomers(10).withRecordsPerObject(RECORDS))) {
      long started = heapAfterGc();
      SandboxClient hubspot = new SandboxClient(server.credentials("customer10", "hubspot"));
      JsonNode contacts = hubspot.getJson("/crm/v3/objects/contacts?limit=100&after=10099000");
      assertEquals(100, contacts.get("results").size());
      assertTrue(contacts.get("results").get(0).get("id").asLong() >= 10_099_000L);

      SandboxClient pipedrive = new SandboxClient(server.credentials("customer7", "pipedrive"));
      long livePersons = server.dataset().count("customer7", "pipedrive", "persons", Deletion.LIVE);
      JsonNode last = pipedrive.getJson("/v1/persons?start=" + (livePersons - 10) + "&limit=500");
      assertEquals(10, last.get("data").size());
      assertTrue(!last.get("additional_data").get("pagination").get("more_items_in_collection").asBoolean());

      SandboxClient salesforce = new SandboxClient(server.credentials("customer1", "salesforce"));
      String soql = "SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= 2025-03-01T00:00:00Z ORDER BY SystemModstamp ASC, Id ASC";
      JsonNode page = salesforce.getJson("/services/data/v59.0/queryAll?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
      assertEquals(2000, page.get("records").size());
      assertTrue(page.get("totalSize").asInt() > 10_000 && page.get("totalSize").asInt() < RECORDS, page.get("totalSize").asText());
      JsonNode next = salesforce.getJson(page.get("nextRecordsUrl").asText());
      assertTrue(next.get("records").get(0).get("SystemModstamp").asText()
          .compareTo(page.get("records").get(1999).get("SystemModstamp").asText()) > 0);

      long serving = heapAfterGc();
      System.out.printf("sandbox 10 customers x %,d records per object: heap after GC %,d MB started, %,d MB after deep pages"
          + " (%,d MB before start; max %,d MB)%n", RECORDS, started >> 20, serving >> 20, before >> 20, Runtime.getRuntime().maxMemory() >> 20);
      assertTrue(serving - before < 256L << 20, "the sandbox holds no per-record state: " + ((serving - before) >> 20) + " MB");
    }
  }
}
