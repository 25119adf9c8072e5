package dev.syncbeam.transforms.providers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.http.LoopbackApi.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared client's retry, refresh and secrecy behaviours, against a real HTTP server on loopback. */
class ApiClientTest {
  private static final String ACCESS = "access-token-4f9a";
  private static final String REFRESHED = "access-token-refreshed-77c1";
  private static final String REFRESH = "refresh-token-b3e2";
  private static final String API_TOKEN = "pipedrive-api-token-9d0e";
  private static final String OK = "{\"ok\":true,\"n\":1}";

  private LoopbackApi api;
  private PrintStream originalErr;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackApi();
    originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
  }

  @AfterEach
  void stop() {
    System.setErr(originalErr);
    api.close();
    String logged = log.toString(StandardCharsets.UTF_8);
    for (String secret : List.of(ACCESS, REFRESHED, REFRESH, API_TOKEN, "client-secret-value")) {
      assertFalse(logged.contains(secret), "a log line shows a secret: " + logged);
    }
  }

  /** Answers with the given replies in turn, then OK. */
  private static LoopbackApi.Handler inTurn(Reply... replies) {
    AtomicInteger n = new AtomicInteger();
    return r -> n.get() < replies.length ? replies[n.getAndIncrement()] : Reply.json(OK);
  }

  private ApiClient client(String refreshToken) {
    return new ApiClient("hubspot", api.source(ACCESS, refreshToken));
  }

  @Test
  void rateLimitWaitsForRetryAfterThenSucceeds() throws Exception {
    api.on("GET", "/things", inTurn(Reply.status(429, "{}").header("Retry-After", "1")));
    long started = System.nanoTime();
    assertEquals(1, client(null).getJson("/things", Map.of()).path("n").asInt());
    assertTrue(System.nanoTime() - started >= 900_000_000L, "Retry-After: 1 was not honoured");
    assertEquals(2, api.requests("GET", "/things").size());
  }

  @Test
  void serverErrorIsRetried() throws Exception {
    api.on("GET", "/things", inTurn(Reply.status(500, "{\"error\":\"boom\"}")));
    assertEquals(1, client(null).getJson("/things", Map.of()).path("n").asInt());
    assertEquals(2, api.requests("GET", "/things").size());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("HTTP 500; retrying"), "the retry is logged (and so checked for secrets)");
  }

  @Test
  void droppedConnectionIsRetried() throws Exception {
    api.on("GET", "/things", inTurn(Reply.DROP));
    assertEquals(1, client(null).getJson("/things", Map.of()).path("n").asInt());
    assertEquals(2, api.requests("GET", "/things").size());
  }

  @Test
  void truncatedBodyIsRetried() throws Exception {
    api.on("GET", "/things", inTurn(Reply.json("{\"results\":[{\"id\":\"1\"},{\"id\":\"2\"}]}").truncated()));
    assertEquals(1, client(null).getJson("/things", Map.of()).path("n").asInt());
    assertEquals(2, api.requests("GET", "/things").size());
  }

  @Test
  void unauthorizedRefreshesTheTokenOnceAndRetries() throws Exception {
    api.on("GET", "/things", r -> ("Bearer " + REFRESHED).equals(r.authorization()) ? Reply.json(OK) : Reply.status(401, "{}"));
    api.on("POST", "/oauth/token", Reply.json("{\"access_token\":\"" + REFRESHED + "\",\"expires_in\":3600}"));
    ApiClient client = client(REFRESH);
    assertEquals(1, client.getJson("/things", Map.of()).path("n").asInt());
    assertEquals(1, api.requests("POST", "/oauth/token").size());
    assertTrue(api.requests("POST", "/oauth/token").get(0).body().contains("grant_type=refresh_token"));
    assertEquals(REFRESHED, client.source().accessToken());
  }

  @Test
  void unauthorizedAfterARefreshFailsAuthenticationWithoutShowingTokens() {
    api.on("GET", "/things", Reply.status(401, "{\"message\":\"token " + REFRESHED + " expired\"}"));
    api.on("POST", "/oauth/token", Reply.json("{\"access_token\":\"" + REFRESHED + "\",\"expires_in\":3600}"));
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> client(REFRESH).getJson("/things", Map.of()));
    assertTrue(e.getMessage().contains("after a token refresh"), e.getMessage());
    assertEquals(1, api.requests("POST", "/oauth/token").size());
    assertNoSecret(e.getMessage());
  }

  @Test
  void revokedRefreshTokenFailsAuthentication() {
    api.on("GET", "/things", Reply.status(401, "{}"));
    api.on("POST", "/oauth/token", Reply.status(400, "{\"error\":\"invalid_grant " + REFRESH + "\"}"));
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> client(REFRESH).getJson("/things", Map.of()));
    assertNoSecret(e.getMessage());
  }

  @Test
  void errorsThatEchoTheRequestNeverShowTheApiToken() {
    ApiSource pipedrive = new ApiSource(api.baseUrl(), null, API_TOKEN, null, null, null, null, 2, 5);
    api.on("GET", "/v1/persons", r -> Reply.status(400, "{\"error\":\"bad request /v1/persons?api_token=" + r.q("api_token") + "\"}"));
    api.on("GET", "/v1/deals", Reply.status(503, "{}"));
    ApiClient client = new ApiClient("pipedrive", pipedrive);
    ApiException bad = assertThrows(ApiException.class, () -> client.getJson("/v1/persons", Map.of("start", "0")));
    assertEquals(400, bad.status());
    assertNoSecret(bad.getMessage());
    ApiException gaveUp = assertThrows(ApiException.class, () -> client.getJson("/v1/deals", Map.of()));
    assertTrue(gaveUp.getMessage().contains("gave up after 2 attempts"), gaveUp.getMessage());
    assertNoSecret(gaveUp.getMessage());
    assertEquals(API_TOKEN, api.requests("GET", "/v1/deals").get(0).q("api_token"));
  }

  private static void assertNoSecret(String message) {
    for (String secret : List.of(ACCESS, REFRESHED, REFRESH, API_TOKEN, "client-secret-value")) {
      assertFalse(message.contains(secret), "message shows a secret: " + message);
    }
  }
}
