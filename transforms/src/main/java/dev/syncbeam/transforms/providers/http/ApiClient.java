package dev.syncbeam.transforms.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.model.ApiSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider API as a careful integration talks to it: timeouts on every request; 429 honoured
 * with Retry-After; 5xx, dropped connections and truncated bodies retried with capped exponential
 * backoff and jitter; one token refresh on a 401; and no credential ever in a log line, error or
 * exception message (query strings are not logged; known secrets are masked in anything echoed).
 */
public final class ApiClient {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long MAX_RETRY_AFTER_MILLIS = 120_000;

  private final String provider;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private volatile ApiSource source;

  public ApiClient(String provider, ApiSource source) {
    this.provider = provider;
    this.source = source;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** A response: status, body, headers (names lower-cased). */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  public ApiSource source() {
    return source;
  }

  public JsonNode getJson(String pathOrUrl, Map<String, String> query) throws IOException {
    return json(send("GET", pathOrUrl, query, null, true));
  }

  public JsonNode postJson(String path, Object body) throws IOException {
    return json(send("POST", path, Map.of(), mapper.writeValueAsString(body), true));
  }

  public JsonNode patchJson(String path, Object body) throws IOException {
    return json(send("PATCH", path, Map.of(), mapper.writeValueAsString(body), true));
  }

  public JsonNode putJson(String path, Object body) throws IOException {
    return json(send("PUT", path, Map.of(), mapper.writeValueAsString(body), true));
  }

  public Response delete(String path) throws IOException {
    return send("DELETE", path, Map.of(), null, false);
  }

  /** A non-JSON body (Salesforce Bulk CSV results), with its headers (Sforce-Locator). */
  public Response getText(String pathOrUrl, Map<String, String> query) throws IOException {
    return send("GET", pathOrUrl, query, null, false);
  }

  private JsonNode json(Response r) throws IOException {
    if (r.body() == null || r.body().isBlank()) return mapper.createObjectNode();
    return mapper.readTree(r.body());
  }

  /**
   * Sends with retries. {@code expectJson}: a 2xx body that does not parse (a response cut short)
   * counts as a transient failure and is retried like a dropped connection.
   */
  public Response send(String method, String pathOrUrl, Map<String, String> query, String body, boolean expectJson) throws IOException {
    String what = provider + " " + method + " " + pathOnly(pathOrUrl);
    boolean refreshed = false;
    int attempts = Math.max(1, source.maxAttempts());
    String lastProblem = "";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      HttpRequest request = request(method, pathOrUrl, query, body);
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        lastProblem = "no response (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + mask(e.getMessage())) + ")";
        pause(what, lastProblem, attempt, attempts, backoff(attempt));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(what + ": interrupted");
      }
      int status = response.statusCode();
      if (status == 401) {
        if (!refreshed && source.canRefresh()) {
          refreshed = true;
          refreshAccessToken();
          attempt--; // the refresh is not a failed attempt
          continue;
        }
        throw new AuthenticationFailedException(what + ": " + provider + " refused the credentials (HTTP 401)"
            + (refreshed ? " even after a token refresh" : source.canRefresh() ? "" : "; no refresh token is configured"));
      }
      if (status == 429) {
        long wait = retryAfterMillis(response).orElse(backoff(attempt));
        lastProblem = "HTTP 429 (rate limited)";
        pause(what, lastProblem, attempt, attempts, Math.min(wait, MAX_RETRY_AFTER_MILLIS));
        continue;
      }
      if (status >= 500) {
        lastProblem = "HTTP " + status;
        pause(what, lastProblem, attempt, attempts, backoff(attempt));
        continue;
      }
      if (status >= 400) {
        throw new ApiException(status, what + ": HTTP " + status + ": " + mask(abbreviate(response.body())));
      }
      Response r = new Response(status, response.body(), lowerCase(response.headers().map()));
      if (expectJson && r.body() != null && !r.body().isBlank()) {
        try {
          mapper.readTree(r.body());
        } catch (JsonProcessingException e) {
          lastProblem = "a response that is not complete JSON (" + e.getOriginalMessage() + ")";
          pause(what, lastProblem, attempt, attempts, backoff(attempt));
          continue;
        }
      }
      return r;
    }
    throw new ApiException(0, what + ": gave up after " + attempts + " attempts; last: " + lastProblem);
  }

  private HttpRequest request(String method, String pathOrUrl, Map<String, String> query, String body) {
    ApiSource s = source;
    Map<String, String> q = new LinkedHashMap<>(query);
    if (s.apiToken() != null) q.put("api_token", s.apiToken());
    String url = (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? pathOrUrl : stripSlash(s.baseUrl()) + pathOrUrl);
    if (!q.isEmpty()) {
      url += (url.contains("?") ? "&" : "?") + q.entrySet().stream()
          .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
    if (s.accessToken() != null) b.header("Authorization", "Bearer " + s.accessToken());
    if (body != null) b.header("Content-Type", "application/json");
    return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** OAuth refresh-token grant; the new access token replaces the old one for every later request. */
  private synchronized void refreshAccessToken() throws IOException {
    ApiSource s = source;
    String form = "grant_type=refresh_token&refresh_token=" + enc(s.refreshToken())
        + (s.clientId() == null ? "" : "&client_id=" + enc(s.clientId()))
        + (s.clientSecret() == null ? "" : "&client_secret=" + enc(s.clientSecret()));
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.tokenUrl())).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(provider + " token refresh: interrupted");
    }
    if (r.statusCode() != 200) {
      throw new AuthenticationFailedException(provider + " token refresh at " + pathOnly(s.tokenUrl()) + " failed: HTTP " + r.statusCode());
    }
    JsonNode tokens = mapper.readTree(r.body());
    String access = tokens.path("access_token").asText(null);
    if (access == null) throw new AuthenticationFailedException(provider + " token refresh returned no access_token");
    ApiSource next = s.withAccessToken(access);
    if (tokens.hasNonNull("instance_url") && !tokens.get("instance_url").asText().isBlank()) {
      next = next.withBaseUrl(tokens.get("instance_url").asText());
    }
    source = next;
    LOG.info("{}: access token refreshed", provider);
  }

  private void pause(String what, String problem, int attempt, int attempts, long millis) throws IOException {
    if (attempt >= attempts) return;
    LOG.warn("{}: {}; retrying in {} ms (attempt {} of {})", what, problem, millis, attempt + 1, attempts);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted while waiting to retry");
    }
  }

  /** Exponential from the configured base, capped, with "equal jitter" so many workers do not retry in step. */
  private long backoff(int attempt) {
    long exp = Math.min(MAX_BACKOFF_MILLIS, source.backoffMillis() * (1L << Math.min(20, attempt - 1)));
    return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
  }

  private static Optional<Long> retryAfterMillis(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of((long) (Double.parseDouble(v.trim()) * 1000));
      } catch (NumberFormatException e) {
        return Optional.empty(); // an HTTP date: fall back to backoff
      }
    });
  }

  /** Anything echoed from a request or response passes through here first. */
  public String mask(String text) {
    if (text == null) return null;
    String out = text;
    ApiSource s = source;
    for (String secret : new String[] {s.accessToken(), s.apiToken(), s.refreshToken(), s.clientSecret()}) {
      if (secret != null && secret.length() >= 4) out = out.replace(secret, "***");
    }
    return out.replaceAll("(?i)(api_token|access_token|refresh_token|client_secret)=[^&\\s\"]*", "$1=***");
  }

  private static String pathOnly(String pathOrUrl) {
    int q = pathOrUrl.indexOf('?');
    return q < 0 ? pathOrUrl : pathOrUrl.substring(0, q);
  }

  private static String abbreviate(String body) {
    if (body == null) return "";
    String one = body.replace('\n', ' ');
    return one.length() <= 300 ? one : one.substring(0, 300) + "...";
  }

  private static String stripSlash(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return out;
  }
}
