package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One customer's account at one provider: its object tables, reference data (pipelines, stages,
 * field definitions), and its credentials with their expiry/revocation state.
 */
public final class Tenant {
  private final String customer;
  private final String provider;
  private final String baseUrl;
  private final Map<String, ObjectTable> tables = new LinkedHashMap<>();
  private final Map<String, JsonNode> reference = new LinkedHashMap<>();
  private final Faults faults;
  private final RequestLog log = new RequestLog();
  private RateLimiter limiter = RateLimiter.NONE;
  private final String refreshToken;
  private final String clientId;
  private final String clientSecret;
  private final String apiToken;
  private String accessToken;
  private int tokenGeneration;
  private boolean expired;
  private boolean revoked;

  /** Access tokens issued by refreshes that have not expired yet. */
  private final Set<String> refreshed = new HashSet<>();

  Tenant(String customer, String provider, String baseUrl) {
    this.customer = customer;
    this.provider = provider;
    this.baseUrl = baseUrl;
    this.faults = new Faults(List.of(this));
    String prefix = "sandbox-" + provider + "-" + customer;
    this.refreshToken = prefix + "-refresh";
    this.clientId = prefix + "-client";
    this.clientSecret = prefix + "-secret";
    this.apiToken = prefix + "-api-token";
    this.accessToken = prefix + "-access-1";
    this.tokenGeneration = 1;
  }

  public String customer() {
    return customer;
  }

  public String provider() {
    return provider;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Faults faults() {
    return faults;
  }

  /** Records that a list, search or query asked for these fields of the object. */
  public void requested(String object, List<String> fields) {
    log.fields(object, fields);
  }

  RequestLog log() {
    return log;
  }

  synchronized RateLimiter limiter() {
    return limiter;
  }

  synchronized void limitWith(RateLimiter value) {
    limiter = value;
  }

  /** Tables are created while seeding, before the server starts serving, and never removed. */
  public ObjectTable addTable(ObjectTable table) {
    tables.put(table.name(), table);
    return table;
  }

  public ObjectTable table(String object) {
    ObjectTable t = tables.get(object);
    if (t == null) throw new IllegalArgumentException(provider + " has no object " + object + " in the sandbox; it has " + tables.keySet());
    return t;
  }

  public boolean hasTable(String object) {
    return tables.containsKey(object);
  }

  public void putReference(String name, JsonNode value) {
    reference.put(name, value);
  }

  public JsonNode reference(String name) {
    return reference.get(name).deepCopy();
  }

  public synchronized SandboxCredentials credentials() {
    return new SandboxCredentials(customer, provider, baseUrl, accessToken, apiToken, refreshToken, clientId, clientSecret, baseUrl + "/oauth/token");
  }

  /**
   * Bearer tokens are valid until they expire, as at the real providers: a refresh by one client
   * does not cut off the tokens other clients got from theirs. Pipedrive's api_token while not revoked.
   */
  public synchronized boolean authorizes(String bearer, String queryApiToken) {
    if (revoked) return false;
    if (bearer != null) return (bearer.equals(accessToken) && !expired) || refreshed.contains(bearer);
    return queryApiToken != null && queryApiToken.equals(apiToken);
  }

  /** A new access token for a valid refresh grant; null when revoked or the grant does not match. */
  public synchronized String refresh(Map<String, String> form) {
    if (revoked || !"refresh_token".equals(form.get("grant_type")) || !refreshToken.equals(form.get("refresh_token"))
        || !clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
      return null;
    }
    tokenGeneration++;
    accessToken = "sandbox-" + provider + "-" + customer + "-access-" + tokenGeneration;
    refreshed.add(accessToken);
    expired = false;
    return accessToken;
  }

  /** Every access token issued so far expires; clients must refresh. */
  synchronized void expireAccessToken() {
    expired = true;
    refreshed.clear();
  }

  synchronized void setRevoked(boolean value) {
    revoked = value;
  }
}
