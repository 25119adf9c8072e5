package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static final String PATH = "/crm/v3/objects/contacts?limit=5";
  SandboxServer server;
  SandboxClient acme;

  @BeforeEach
  void start() {
    server = SandboxServer.start(SandboxConfig.defaults().withRecordsPerObject(10));
    acme = new SandboxClient(server.credentials("acme", "hubspot"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a429BurstCarriesRetryAfterThenRecovers() throws Exception {
    server.faults("acme", "hubspot").retryAfterSeconds(7).next(2, Fault.HTTP_429);
    for (int i = 0; i < 2; i++) {
      var r = acme.get(PATH);
      assertEquals(429, r.statusCode());
      assertEquals("7", r.headers().firstValue("Retry-After").orElseThrow());
    }
    assertEquals(200, acme.get(PATH).statusCode());
  }

  @Test
  void globalFaultsHitEveryTenantAndScopedOnesOnlyTheirs() throws Exception {
    SandboxClient globex = new SandboxClient(server.credentials("globex", "hubspot"));
    server.faults("globex", "hubspot").next(1, Fault.HTTP_500);
    assertEquals(200, acme.get(PATH).statusCode());
    assertEquals(500, globex.get(PATH).statusCode());
    server.faults().next(1, Fault.HTTP_500);
    assertEquals(500, acme.get(PATH).statusCode());
    assertEquals(200, globex.get(PATH).statusCode());
  }

  @Test
  void slowResponsesAreDelayed() throws Exception {
    server.faults("hubspot").slowDelay(Duration.ofMillis(700)).next(1, Fault.SLOW);
    long t0 = System.nanoTime();
    assertEquals(200, acme.get(PATH).statusCode());
    assertTrue(System.nanoTime() - t0 >= 650_000_000L);
  }

  @Test
  void truncatedBodiesAre200sThatDoNotParse() throws Exception {
    server.faults().next(1, Fault.TRUNCATED_BODY);
    var r = acme.get(PATH);
    assertEquals(200, r.statusCode());
    assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readTree(r.body()));
  }

  @Test
  void droppedConnectionsGiveNoResponse() throws Exception {
    server.faults().next(1, Fault.DROPPED_CONNECTION);
    // a POST: java.net.http silently retries an idempotent GET once after a dropped connection
    assertThrows(IOException.class, () -> acme.send("POST", "/crm/v3/objects/contacts/search", "{}"));
    assertEquals(200, acme.get(PATH).statusCode());
  }

  @Test
  void expiredTokensAnswer401UntilRefreshed() throws Exception {
    server.faults("acme", "hubspot").expireAccessTokens();
    assertEquals(401, acme.get(PATH).statusCode());
    assertEquals(200, acme.refresh());
    assertEquals(200, acme.get(PATH).statusCode());
    SandboxClient salesforce = new SandboxClient(server.credentials("acme", "salesforce"));
    server.faults("salesforce").expireAccessTokens();
    assertEquals(401, salesforce.get("/services/data/v59.0/sobjects/Account/describe").statusCode());
    assertEquals(200, salesforce.refresh());
    assertEquals(200, salesforce.get("/services/data/v59.0/sobjects/Account/describe").statusCode());
  }

  @Test
  void revokedCredentialsAnswer401AndRefreshFails() throws Exception {
    server.faults("acme", "hubspot").revokeCredentials();
    assertEquals(401, acme.get(PATH).statusCode());
    assertEquals(400, acme.refresh());
    assertEquals(401, acme.get(PATH).statusCode());
    server.faults("acme", "hubspot").restoreCredentials();
    assertEquals(200, acme.get(PATH).statusCode());
  }

  @Test
  void probabilisticFaultsRepeatForASeed() throws Exception {
    assertEquals(statuses(), statuses());
  }

  private List<Integer> statuses() throws Exception {
    server.faults().clear().withProbability(0.3, 99L, Fault.HTTP_500);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) out.add(acme.get(PATH).statusCode());
    server.faults().clear();
    assertTrue(out.contains(500) && out.contains(200), "a mix of failures and successes: " + out);
    return out;
  }
}
