package dev.syncbeam.transforms.providers.http;

import static org.joda.time.Duration.millis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.model.ApiSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider API as a careful integration talks to it: timeouts on every request; 5xx, dropped
 * connections and truncated bodies retried with capped exponential backoff and jitter; one token
 * refresh on a 401; and no credential ever in a log line, error or exception message (query
 * strings are not logged; known secrets are masked in anything echoed).
 *
 * <p>Rate limits: every client of one provider account in this JVM shares a {@link Pacer}, which
 * learns the limit from the provider's headers (HubSpot X-HubSpot-RateLimit-*, Pipedrive
 * x-ratelimit-*) and spaces requests to stay under it, so parallel reads of one account do not
 * take turns at hitting it. An over-limit answer (429; Salesforce's 403 REQUEST_LIMIT_EXCEEDED)
 * waits for Retry-After, else the provider's reset, else backs off; those waits do not use up the
 * attempts meant for failures, only a separate time budget.
 */
public final class ApiClient {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long MAX_RETRY_AFTER_MILLIS = 120_000;
  /** How long one request may keep being refused as over the limit before the read fails. */
  private static final Duration RATE_LIMITED_BUDGET = Duration.ofMinutes(15);
  private static final Map<String, Pacer> PACERS = new ConcurrentHashMap<>();

  private final String provider;
  private final HttpClient http;
  private static final AtomicLong CLIENTS = new AtomicLong();
  private final ObjectMapper mapper = new ObjectMapper();
  /** Order of creation: who goes first when clients of one account wait for the same turn. */
  private final long seniority = CLIENTS.incrementAndGet();
  /** Requests answered and the UTF-8 bytes of their bodies since the last {@link #takeUsage}, for the run record. */
  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();
  private volatile ApiSource source;
  private final Duration requestTimeout;

  public ApiClient(String provider, ApiSource source) {
    this(provider, source, REQUEST_TIMEOUT);
  }

  /** With its own per-request timeout: a caller waiting on an HTTP answer of its own cannot wait two minutes. */
  public ApiClient(String provider, ApiSource source, Duration requestTimeout) {
    this.provider = provider;
    this.source = source;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** A response: status, body, headers (names lower-cased). */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
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
  /** What the API was asked since the last call: {requests, response bytes}; the counters start over. */
  public long[] takeUsage() {
    return new long[] {requestsSent.getAndSet(0), bytesReceived.getAndSet(0)};
  }

  private static long utf8Length(String s) {
    if (s == null) return 0;
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  public Response send(String method, String pathOrUrl, Map<String, String> query, String body, boolean expectJson) throws IOException {
    String what = provider + " " + method + " " + pathOnly(pathOrUrl);
    boolean refreshed = false;
    int attempts = Math.max(1, source.maxAttempts());
    BackOff failures = backoff(source.backoffMillis(), MAX_BACKOFF_MILLIS).withMaxRetries(attempts - 1).backoff();
    BackOff overLimit = null;
    long rateLimitedSince = 0;
    Pacer pacer = pacer(pathOrUrl);
    String lastProblem = "";
    for (int attempt = 1; ; ) {
      HttpRequest request = request(method, pathOrUrl, query, body);
      HttpResponse<String> response;
      try {
        pacer.awaitTurn(seniority);
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        requestsSent.incrementAndGet();
        bytesReceived.addAndGet(utf8Length(response.body()));
      } catch (IOException e) {
        lastProblem = "no response (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + mask(e.getMessage())) + ")";
        pause(what, lastProblem, attempt++, attempts, failures);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(what + ": interrupted");
      }
      int status = response.statusCode();
      pacer.learn(response.headers());
      if (isOverLimit(status, response.body())) {
        if (rateLimitedSince == 0) rateLimitedSince = System.nanoTime();
        if (overLimit == null) overLimit = backoff(pacer.slotMillis(source.backoffMillis()), MAX_RETRY_AFTER_MILLIS).backoff();
        Optional<Long> announced = announcedWaitMillis(response);
        long wait = announced.isPresent() ? announced.get() : next(overLimit);
        if (wait == BackOff.STOP || System.nanoTime() - rateLimitedSince > RATE_LIMITED_BUDGET.toNanos()) {
          throw new ApiException(status, what + ": still over the rate limit after " + RATE_LIMITED_BUDGET.toMinutes() + " minutes of waiting");
        }
        wait = Math.min(wait, MAX_RETRY_AFTER_MILLIS);
        LOG.info("{}: HTTP {} (over the rate limit); every request of this account waits {} ms", what, status, wait);
        pacer.hold(wait);
        continue;
      }
      if (status == 401) {
        if (!refreshed && source.canRefresh()) {
          refreshed = true;
          refreshAccessToken();
          continue; // the refresh is not a failed attempt
        }
        throw new AuthenticationFailedException(what + ": " + provider + " refused the credentials (HTTP 401)"
            + (refreshed ? " even after a token refresh" : source.canRefresh() ? "" : "; no refresh token is configured"));
      }
      if (status >= 500) {
        lastProblem = "HTTP " + status;
        pause(what, lastProblem, attempt++, attempts, failures);
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
          pause(what, lastProblem, attempt++, attempts, failures);
          continue;
        }
      }
      return r;
    }
  }

  /** 429 everywhere; Salesforce refuses over-limit requests with 403 REQUEST_LIMIT_EXCEEDED. */
  private static boolean isOverLimit(int status, String body) {
    return status == 429 || (status == 403 && body != null && body.contains("REQUEST_LIMIT_EXCEEDED"));
  }

  /** The account's pacer; HubSpot search has its own limit, so its own lane. */
  private Pacer pacer(String pathOrUrl) {
    ApiSource s = source;
    String identity = s.refreshToken() != null ? s.refreshToken() : s.accessToken() != null ? s.accessToken() : s.apiToken();
    String lane = pathOnly(pathOrUrl).endsWith("/search") ? "search" : "requests";
    // a hash, not the secret itself, tells accounts behind the same base URL apart
    String key = provider + " " + stripSlash(s.baseUrl()) + " " + Integer.toHexString(Objects.hashCode(identity)) + " " + lane;
    return PACERS.computeIfAbsent(key, k -> new Pacer());
  }

  private static FluentBackoff backoff(long initialMillis, long maxMillis) {
    return FluentBackoff.DEFAULT.withExponent(2).withInitialBackoff(millis(Math.max(1, initialMillis)))
        .withMaxBackoff(millis(maxMillis));
  }

  private static long next(BackOff backoff) {
    return backoff.nextBackOffMillis();
  }

  /**
   * How long the answer says to wait: Retry-After; else Pipedrive's x-ratelimit-reset (seconds);
   * else HubSpot's policy (SECONDLY: a second). Empty when it does not say.
   */
  private static Optional<Long> announcedWaitMillis(HttpResponse<String> r) {
    Optional<Long> retryAfter = seconds(r.headers().firstValue("Retry-After"));
    if (retryAfter.isPresent()) return retryAfter;
    Optional<Long> reset = seconds(r.headers().firstValue("x-ratelimit-reset"));
    if (reset.isPresent()) return reset;
    if (r.body() != null && r.body().contains("\"policyName\":\"SECONDLY\"")) return Optional.of(1000L);
    return Optional.empty();
  }

  private static Optional<Long> seconds(Optional<String> header) {
    return header.flatMap(v -> {
      try {
        return Optional.of((long) (Double.parseDouble(v.trim()) * 1000));
      } catch (NumberFormatException e) {
        return Optional.empty(); // an HTTP date: fall back to backoff
      }
    });
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
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).header("Accept", "application/json");
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

  /** Waits the failure backoff's next interval, or gives up once the attempts are used. */
  private void pause(String what, String problem, int attempt, int attempts, BackOff failures) throws IOException {
    long millis = next(failures);
    if (attempt >= attempts || millis == BackOff.STOP) {
      throw new ApiException(0, what + ": gave up after " + attempts + " attempts; last: " + problem);
    }
    LOG.warn("{}: {}; retrying in {} ms (attempt {} of {})", what, problem, millis, attempt + 1, attempts);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted while waiting to retry");
    }
  }

  /**
   * The requests of one provider account (one limit) from this JVM. It learns the limit and its
   * window from the answers' headers and keeps its own record of when it sent, so that no window
   * holds more than the limit less a margin (the provider counts at arrival, a little later than
   * the send); when the provider says nothing is left, or refuses, everyone waits.
   */
  static final class Pacer {
    /** Sends ahead of the provider's count are not seen in its headers yet; keep this share of the limit spare. */
    private static final double HEADROOM = 0.05;
    /** Time between our send and the provider's count of it, at most (scheduling, GC). */
    private static final long SLACK_NANOS = 100_000_000L;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private int limit;
    private long windowNanos;
    private long heldUntil;

    /** Requests waiting for a turn, in arrival order. */
    private final List<Waiter> waiting = new ArrayList<>();

    private record Waiter(long seniority, long since) {}

    /**
     * Blocks until the account may send. When several clients wait, the one created first goes
     * first: one object's read finishes before the next one's, so its rows are written while the
     * others still read, instead of every object finishing at once at the end. A request that has
     * waited a whole window goes next whoever it is, so no client (and no worker thread) waits
     * behind a long read until it ends.
     */
    synchronized void awaitTurn(long seniority) throws InterruptedException {
      Waiter me = new Waiter(seniority, System.nanoTime());
      waiting.add(me);
      try {
        while (true) {
          long now = System.nanoTime();
          long wait = heldUntil - now;
          if (wait <= 0 && limit > 0 && windowNanos > 0) {
            while (!sent.isEmpty() && now - sent.peekFirst() >= windowNanos + SLACK_NANOS) sent.pollFirst();
            int allowed = Math.max(1, limit - (int) Math.ceil(limit * HEADROOM));
            if (sent.size() >= allowed) wait = sent.peekFirst() + windowNanos + SLACK_NANOS - now;
          }
          if (wait <= 0 && next(now) == me) {
            sent.addLast(now);
            if (sent.size() > 10_000) sent.pollFirst(); // bounded while no limit is known
            return;
          }
          // a turn taken by someone else wakes the rest through notifyAll
          wait(wait > 0 ? Math.max(1, (wait + 999_999) / 1_000_000) : 50);
        }
      } finally {
        waiting.remove(me);
        notifyAll();
      }
    }

    /** The longest waiter if it has waited a window, else the most senior (earliest arrival among equals). */
    private Waiter next(long now) {
      Waiter first = waiting.get(0);
      if (windowNanos > 0 && now - first.since() >= windowNanos) return first;
      Waiter best = first;
      for (Waiter w : waiting) if (w.seniority() < best.seniority()) best = w;
      return best;
    }

    /**
     * HubSpot states limit and interval; Pipedrive the limit and the seconds until its window
     * clears, whose largest value (a fresh window) is the window's length.
     */
    synchronized void learn(HttpHeaders headers) {
      Optional<Long> max = number(headers, "X-HubSpot-RateLimit-Max").or(() -> number(headers, "x-ratelimit-limit"));
      if (max.isEmpty()) return;
      limit = (int) (long) max.get();
      Optional<Long> interval = number(headers, "X-HubSpot-RateLimit-Interval-Milliseconds");
      Optional<Long> reset = number(headers, "x-ratelimit-reset");
      if (interval.isPresent()) windowNanos = interval.get() * 1_000_000;
      else reset.ifPresent(seconds -> windowNanos = Math.max(windowNanos, seconds * 1_000_000_000));
      Optional<Long> remaining = number(headers, "X-HubSpot-RateLimit-Remaining").or(() -> number(headers, "x-ratelimit-remaining"));
      if (remaining.isPresent() && remaining.get() == 0 && reset.isPresent()) hold(reset.get() * 1000);
    }

    /** Nobody sends on this account for the next {@code millis}. */
    synchronized void hold(long millis) {
      heldUntil = Math.max(heldUntil, System.nanoTime() + millis * 1_000_000);
      notifyAll();
    }

    /** One request's share of the window, the first wait after a refusal that names none. */
    synchronized long slotMillis(long fallback) {
      return limit > 0 && windowNanos > 0 ? Math.max(1, windowNanos / limit / 1_000_000) : fallback;
    }

    private static Optional<Long> number(HttpHeaders headers, String name) {
      return headers.firstValue(name).flatMap(v -> {
        try {
          return Optional.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      });
    }
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
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }
}
