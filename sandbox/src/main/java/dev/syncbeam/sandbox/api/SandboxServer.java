package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncbeam.sandbox.api.hubspot.HubSpotEmulator;
import dev.syncbeam.sandbox.api.pipedrive.PipedriveEmulator;
import dev.syncbeam.sandbox.api.salesforce.SalesforceEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Salesforce, HubSpot and Pipedrive emulators on one loopback HTTP server. Every (customer,
 * provider) lives under {@code http://127.0.0.1:<port>/<customer>/<provider>} with its own
 * credentials and dataset, so a test points a reader at a base URL exactly as it would at the
 * real API. Requests are served concurrently; each object table is its own lock.
 */
public final class SandboxServer implements AutoCloseable {
  static {
    // the JDK server writes headers and body separately; with Nagle on, each answer waits out the
    // client's delayed ACK (40 ms on Linux), which would cap a reader far below any provider limit
    if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer http;
  private final ExecutorService workers;
  private final Map<String, ProviderEmulator> apis = new LinkedHashMap<>();
  private final Map<String, Tenant> tenants = new LinkedHashMap<>();
  private final Faults globalFaults;
  private final Map<String, Faults> providerFaults = new LinkedHashMap<>();
  private final SandboxDataset dataset;

  private SandboxServer(SandboxConfig config) throws IOException {
    for (ProviderEmulator api : List.of(new SalesforceEmulator(config.salesforcePageSize()), new HubSpotEmulator(config.hubspotMaxLimit()),
        new PipedriveEmulator(config.pipedriveMaxLimit()))) {
      apis.put(api.provider(), api);
    }
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
    String root = "http://127.0.0.1:" + http.getAddress().getPort();
    for (String customer : config.customers()) {
      for (ProviderEmulator api : apis.values()) {
        Tenant t = new Tenant(customer, api.provider(), root + "/" + customer + "/" + api.provider());
        // one stream per tenant so adding a customer never changes another customer's data
        api.seed(t, config.seed() * 31 + (customer + "/" + api.provider()).hashCode(), config.recordsPerObject());
        t.limitWith(api.rateLimiter(config.rateLimits()));
        tenants.put(key(customer, api.provider()), t);
      }
    }
    globalFaults = new Faults(List.copyOf(tenants.values()));
    for (String provider : apis.keySet()) {
      providerFaults.put(provider, new Faults(tenants.values().stream().filter(t -> t.provider().equals(provider)).toList()));
    }
    dataset = new SandboxDataset(this);
    AtomicInteger n = new AtomicInteger();
    workers = Executors.newFixedThreadPool(16, r -> {
      Thread th = new Thread(r, "sandbox-http-" + n.incrementAndGet());
      th.setDaemon(true);
      return th;
    });
    http.setExecutor(workers);
    http.createContext("/", this::serve);
    http.start();
  }

  /** Binds 127.0.0.1 on {@code config.port()} (0: any free port), generates the dataset and starts serving. */
  public static SandboxServer start(SandboxConfig config) {
    try {
      return new SandboxServer(config);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the sandbox on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** Credentials of every (customer, provider), customers in config order. */
  public List<SandboxCredentials> credentials() {
    List<SandboxCredentials> out = new ArrayList<>();
    for (Tenant t : tenants.values()) out.add(t.credentials());
    return out;
  }

  public SandboxCredentials credentials(String customer, String provider) {
    return tenant(customer, provider).credentials();
  }

  /** Faults for every request to the sandbox. */
  public Faults faults() {
    return globalFaults;
  }

  /** Faults for every customer of one provider. */
  public Faults faults(String provider) {
    Faults f = providerFaults.get(provider);
    if (f == null) throw new IllegalArgumentException("unknown provider " + provider);
    return f;
  }

  /** What one (customer, provider) has been asked so far: requests by kind, bytes, over-limit answers, fields requested. */
  public RequestStats stats(String customer, String provider) {
    return tenant(customer, provider).log().snapshot();
  }

  /** Zeroes one (customer, provider)'s request counters. */
  public void resetStats(String customer, String provider) {
    tenant(customer, provider).log().reset();
  }

  public Faults faults(String customer, String provider) {
    return tenant(customer, provider).faults();
  }

  /** The records behind the APIs, for computing expected destination state and making changes. */
  public SandboxDataset dataset() {
    return dataset;
  }

  Tenant tenant(String customer, String provider) {
    Tenant t = tenants.get(key(customer, provider));
    if (t == null) throw new IllegalArgumentException("the sandbox has no " + customer + "/" + provider);
    return t;
  }

  ProviderEmulator api(String provider) {
    return apis.get(provider);
  }

  private static String key(String customer, String provider) {
    return customer + "/" + provider;
  }

  private void serve(HttpExchange exchange) {
    try {
      String[] parts = exchange.getRequestURI().getRawPath().split("/", 4);
      Tenant tenant = parts.length >= 3 ? tenants.get(key(parts[1], parts[2])) : null;
      if (tenant == null) {
        send(exchange, ApiResponse.text(404, "no such sandbox tenant; paths are /<customer>/<provider>/..."));
        return;
      }
      ProviderEmulator api = apis.get(tenant.provider());
      ApiRequest request = request(exchange, parts.length == 4 ? "/" + parts[3] : "/");
      if (request.path().equals("/oauth/token") && request.is("POST")) {
        ApiResponse response = token(api, tenant, request);
        tenant.log().served(EndpointKind.TOKEN, "token", response.status(), response.body().length);
        send(exchange, response);
        return;
      }
      EndpointKind kind = api.kind(request);
      String signature = signature(request);
      RateLimiter.Admission admission = tenant.limiter().admit(kind);
      if (admission.isRefused()) {
        tenant.log().refused(signature, admission.refusal().body().length, Instant.now(), admission.retryAt());
        send(exchange, admission.refusal());
        return;
      }
      try {
        serveAdmitted(exchange, api, tenant, request, kind, signature, admission);
      } finally {
        admission.release().run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // the client went away or the emulator has a bug: either way this exchange is over
    } finally {
      exchange.close();
    }
  }

  private void serveAdmitted(HttpExchange exchange, ProviderEmulator api, Tenant tenant, ApiRequest request, EndpointKind kind,
      String signature, RateLimiter.Admission admission) throws IOException, InterruptedException {
    Faults scope = scopeWithFault(tenant);
    Optional<Fault> fault = scope == null ? Optional.empty() : scope.draw();
    if (fault.isPresent() && fault.get() == Fault.DROPPED_CONNECTION) return; // closed by the caller, no response
    if (fault.isPresent() && fault.get() == Fault.HTTP_429) {
      ApiResponse refusal = ApiResponse.json(429, api.errorBody(429, "rate limit exceeded (sandbox fault)"))
          .withHeader("Retry-After", String.valueOf(scope.retryAfterSeconds()));
      Instant now = Instant.now();
      tenant.log().refused(signature, refusal.body().length, now, now.plusSeconds(scope.retryAfterSeconds()));
      send(exchange, refusal);
      return;
    }
    if (fault.isPresent() && fault.get() == Fault.HTTP_500) {
      send(exchange, ApiResponse.json(500, api.errorBody(500, "internal error (sandbox fault)")));
      return;
    }
    if (fault.isPresent() && fault.get() == Fault.SLOW) Thread.sleep(scope.slowDelay().toMillis());
    ApiResponse response = authorized(tenant, request) ? handle(api, tenant, request) : ApiResponse.json(401, api.errorBody(401, "expired or invalid token"));
    admission.headers().forEach(response::withHeader);
    tenant.log().served(kind, signature, response.status(), response.body().length);
    send(exchange, fault.isPresent() && fault.get() == Fault.TRUNCATED_BODY ? response.truncated() : response);
  }

  /** What identifies a request when the client asks again: method, path, query (tokens left out) and body. */
  private static String signature(ApiRequest request) {
    Map<String, String> query = new TreeMap<>(request.query());
    query.remove("api_token");
    return request.method() + " " + request.path() + " " + query + " " + request.body();
  }

  /** The most specific scope with a fault armed: its knobs (Retry-After, delay) apply to the fault it draws. */
  private Faults scopeWithFault(Tenant tenant) {
    for (Faults f : List.of(tenant.faults(), providerFaults.get(tenant.provider()), globalFaults)) {
      if (f.armed()) return f;
    }
    return null;
  }

  private static boolean authorized(Tenant tenant, ApiRequest request) {
    return tenant.authorizes(request.bearer(), request.query().get("api_token"));
  }

  private static ApiResponse handle(ProviderEmulator api, Tenant tenant, ApiRequest request) {
    try {
      return api.handle(tenant, request);
    } catch (ApiError e) {
      return e.response();
    }
  }

  private static ApiResponse token(ProviderEmulator api, Tenant tenant, ApiRequest request) {
    String token = tenant.refresh(ApiRequest.parseForm(request.body()));
    if (token == null) {
      ObjectNode err = Json.object().put("error", "invalid_grant").put("error_description", "expired access/refresh token");
      return ApiResponse.json(400, err);
    }
    ObjectNode ok = Json.object().put("access_token", token).put("token_type", "Bearer").put("expires_in", 3600);
    api.completeTokenResponse(tenant, ok);
    return ApiResponse.json(200, ok);
  }

  private static ApiRequest request(HttpExchange exchange, String path) throws IOException {
    URI uri = exchange.getRequestURI();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    return new ApiRequest(exchange.getRequestMethod(), path, ApiRequest.parseForm(uri.getRawQuery()), bearer, body, headers);
  }

  private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
    if (response.contentType() != null) exchange.getResponseHeaders().set("Content-Type", response.contentType());
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    workers.shutdownNow();
  }
}
