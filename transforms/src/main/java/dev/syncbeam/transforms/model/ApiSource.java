package dev.syncbeam.transforms.model;

import java.io.Serializable;

/**
 * Where and how to reach a provider's live API. Carries credentials, so {@link #toString()} never
 * shows them and nothing else may print them.
 *
 * @param baseUrl the API root (Salesforce: the instance URL)
 * @param accessToken an OAuth access token or private-app token, sent as a Bearer token
 * @param apiToken a Pipedrive API token, sent as the {@code api_token} query parameter
 * @param refreshToken with clientId, clientSecret and tokenUrl: how to get a new access token
 * @param maxAttempts tries per request before giving up on 429s, 5xx and dropped connections
 * @param backoffMillis the first retry's wait; it doubles each time, capped, with jitter
 */
public record ApiSource(
    String baseUrl,
    String accessToken,
    String apiToken,
    String refreshToken,
    String clientId,
    String clientSecret,
    String tokenUrl,
    int maxAttempts,
    long backoffMillis)
    implements Serializable {

  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final long DEFAULT_BACKOFF_MILLIS = 500;

  public boolean canRefresh() {
    return refreshToken != null && tokenUrl != null;
  }

  /** The same source with a new access token (after a refresh). */
  public ApiSource withAccessToken(String token) {
    return new ApiSource(baseUrl, token, apiToken, refreshToken, clientId, clientSecret, tokenUrl, maxAttempts, backoffMillis);
  }

  /** The same source at another base URL (Salesforce's refresh answers with the instance URL). */
  public ApiSource withBaseUrl(String url) {
    return new ApiSource(url, accessToken, apiToken, refreshToken, clientId, clientSecret, tokenUrl, maxAttempts, backoffMillis);
  }

  /** The same source with other retry settings (a preflight wants an answer in seconds). */
  public ApiSource withRetries(int attempts, long backoff) {
    return new ApiSource(baseUrl, accessToken, apiToken, refreshToken, clientId, clientSecret, tokenUrl, attempts, backoff);
  }

  // the secrets as written may be ${VAR} references: read where they are used, never carried as values
  @Override
  public String accessToken() {
    return SecretText.resolve(accessToken);
  }

  @Override
  public String apiToken() {
    return SecretText.resolve(apiToken);
  }

  @Override
  public String refreshToken() {
    return SecretText.resolve(refreshToken);
  }

  @Override
  public String clientSecret() {
    return SecretText.resolve(clientSecret);
  }

  @Override
  public String toString() {
    return "ApiSource[" + baseUrl + (accessToken != null ? ", access token ***" : "") + (apiToken != null ? ", api token ***" : "")
        + (refreshToken != null ? ", refresh token ***" : "") + "]";
  }
}
