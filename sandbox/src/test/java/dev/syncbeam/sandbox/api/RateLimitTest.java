package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** With rate limits on, each emulator refuses over-limit requests in its provider's shape, per tenant, over real HTTP. */
class RateLimitTest {
  static SandboxServer start(RateLimits limits) {
    return SandboxServer.start(SandboxConfig.defaults().withRecordsPerObject(30).withRateLimits(limits));
  }

  @Test
  void hubSpotRefusesTheHundredAndFirstRequestInTenSecondsAndTheFifthSearchInASecond() throws Exception {
    try (SandboxServer server = start(RateLimits.real())) {
      SandboxClient acme = new SandboxClient(server.credentials("acme", "hubspot"));
      for (int i = 1; i <= 100; i++) {
        HttpResponse<String> ok = acme.get("/crm/v3/objects/contacts?limit=1");
        assertEquals(200, ok.statusCode());
        assertEquals(String.valueOf(100 - i), ok.headers().firstValue("X-HubSpot-RateLimit-Remaining").orElseThrow());
      }
      HttpResponse<String> over = acme.get("/crm/v3/objects/contacts?limit=1");
      assertEquals(429, over.statusCode());
      JsonNode body = Json.MAPPER.readTree(over.body());
      assertEquals("TEN_SECONDLY_ROLLING", body.get("policyName").asText());
      assertEquals("RATE_LIMIT", body.get("errorType").asText());
      assertEquals("error", body.get("status").asText());
      assertEquals("100", over.headers().firstValue("X-HubSpot-RateLimit-Max").orElseThrow());
      assertEquals("0", over.headers().firstValue("X-HubSpot-RateLimit-Remaining").orElseThrow());
      assertEquals("10000", over.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds").orElseThrow());
      // the limit is the portal's: another customer is not affected
      assertEquals(200, new SandboxClient(server.credentials("globex", "hubspot")).get("/crm/v3/objects/contacts?limit=1").statusCode());

      SandboxClient globex = new SandboxClient(server.credentials("globex", "hubspot"));
      int refused = 0;
      HttpResponse<String> last = null;
      for (int i = 0; i < 5; i++) {
        last = globex.send("POST", "/crm/v3/objects/deals/search", "{\"limit\":1}");
        if (last.statusCode() == 429) refused++;
      }
      assertEquals(1, refused, "four searches a second pass, the fifth within the second does not");
      assertEquals("SECONDLY", Json.MAPPER.readTree(last.body()).get("policyName").asText());
      assertFalse(last.headers().firstValue("X-HubSpot-RateLimit-Remaining").isPresent(), "search answers carry no rate-limit headers");

      RequestStats stats = server.stats("acme", "hubspot");
      assertEquals(100, stats.requests(EndpointKind.LIST));
      assertEquals(1, stats.rateLimited());
      assertEquals(1, stats.rateLimitedNotRetried(), "the refused page was not asked again");
    }
  }

  @Test
  void pipedriveRefusesPastEightyInTwoSecondsAndAdmitsAgainAfterTheAnnouncedReset() throws Exception {
    try (SandboxServer server = start(RateLimits.real())) {
      SandboxClient acme = new SandboxClient(server.credentials("acme", "pipedrive"));
      // a slow first second can let early requests leave the window: ask until refused (80 at the least)
      HttpResponse<String> over = null, lastOk = null;
      int admitted = 0;
      while (over == null && admitted < 1000) {
        HttpResponse<String> r = acme.get("/v1/persons?limit=1");
        if (r.statusCode() == 429) {
          over = r;
        } else {
          assertEquals(200, r.statusCode());
          assertEquals("80", r.headers().firstValue("x-ratelimit-limit").orElseThrow());
          lastOk = r;
          admitted++;
        }
      }
      assertTrue(over != null && admitted >= 80, admitted + " admitted");
      assertEquals("0", lastOk.headers().firstValue("x-ratelimit-remaining").orElseThrow(), "the last admitted request used the window up");
      JsonNode body = Json.MAPPER.readTree(over.body());
      assertFalse(body.get("success").asBoolean());
      assertEquals("Request over limit", body.get("error").asText());
      assertEquals(429, body.get("errorCode").asInt());
      assertEquals("0", over.headers().firstValue("x-ratelimit-remaining").orElseThrow());
      long reset = Long.parseLong(over.headers().firstValue("x-ratelimit-reset").orElseThrow());
      assertTrue(reset >= 1 && reset <= 2, "seconds until the 2-second window clears: " + reset);
      assertEquals(200, new SandboxClient(server.credentials("globex", "pipedrive")).get("/v1/persons?limit=1").statusCode(), "per token");
      Thread.sleep(reset * 1000);
      assertEquals(200, acme.get("/v1/persons?limit=1").statusCode(), "the same page, after the announced reset");
      RequestStats stats = server.stats("acme", "pipedrive");
      assertEquals(1, stats.rateLimited());
      assertEquals(0, stats.rateLimitedNotRetried());
      assertEquals(0, stats.retriedTooEarly());
    }
  }

  @Test
  void salesforceRefusesNewRequestsWhileTheOrgHasItsLimitOfLongRunningOnes() throws Exception {
    RateLimits oneLongRequest = new RateLimits(true, 100, 4, 80, 1, Duration.ofMillis(200));
    try (SandboxServer server = start(oneLongRequest)) {
      SandboxClient acme = new SandboxClient(server.credentials("acme", "salesforce"));
      String describe = "/services/data/v59.0/sobjects/Account/describe";
      server.faults("acme", "salesforce").slowDelay(Duration.ofMillis(1500)).next(1, Fault.SLOW);
      CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return acme.get(describe);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(600);
      HttpResponse<String> over = acme.get(describe);
      assertEquals(403, over.statusCode());
      JsonNode error = Json.MAPPER.readTree(over.body()).get(0);
      assertEquals("REQUEST_LIMIT_EXCEEDED", error.get("errorCode").asText());
      assertTrue(error.get("message").asText().contains("ConcurrentRequests"));
      assertEquals(200, slow.get().statusCode());
      assertEquals(200, acme.get(describe).statusCode(), "short requests are never limited once the long one is done");
    }
  }

  @Test
  void requestsUnderTheLimitsPassAndStatsNameTheFieldsAsked() throws Exception {
    try (SandboxServer server = start(RateLimits.real())) {
      SandboxClient hubspot = new SandboxClient(server.credentials("acme", "hubspot"));
      SandboxClient salesforce = new SandboxClient(server.credentials("acme", "salesforce"));
      SandboxClient pipedrive = new SandboxClient(server.credentials("acme", "pipedrive"));
      for (int i = 0; i < 20; i++) {
        assertEquals(200, hubspot.get("/crm/v3/objects/companies?limit=5&properties=hs_object_id").statusCode());
        assertEquals(200, salesforce.get("/services/data/v59.0/queryAll?q=" + URLEncoder.encode("SELECT Id FROM Account", StandardCharsets.UTF_8))
            .statusCode());
        assertEquals(200, pipedrive.get("/v1/organizations?limit=5").statusCode());
      }
      RequestStats hs = server.stats("acme", "hubspot");
      assertEquals(20, hs.requests(EndpointKind.LIST));
      assertEquals(0, hs.rateLimited());
      assertTrue(hs.responseBytes() > 0);
      assertEquals(Set.of("hs_object_id"), hs.fieldsRequested("companies"));
      RequestStats sf = server.stats("acme", "salesforce");
      assertEquals(20, sf.requests(EndpointKind.QUERY));
      assertEquals(Set.of("Id"), sf.fieldsRequested("Account"));
      assertEquals(Set.of("*"), server.stats("acme", "pipedrive").fieldsRequested("organizations"));
      assertEquals(List.of(0L, 0L), List.of(server.stats("globex", "hubspot").totalRequests(), server.stats("globex", "pipedrive").totalRequests()));
    }
  }
}
