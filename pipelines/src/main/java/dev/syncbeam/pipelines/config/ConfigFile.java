package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import java.util.List;

/**
 * {@code syncbeam.yaml} as written, key for key: what Jackson binds the file to. A key not named
 * here is refused. {@link ConfigLoader} then applies defaults and the rules that span keys.
 */
record ConfigFile(
    @JsonProperty("application_id") String applicationId,
    @JsonProperty("destination") SyncbeamConfig.Destination destination,
    @JsonProperty("serve") Serve serve,
    @JsonProperty("webhook") Webhook webhook,
    @JsonProperty("syncs") List<Sync> syncs) {

  record Webhook(
      @JsonProperty("url") String url,
      @JsonProperty("secret") String secret) {}

  record Serve(
      @JsonProperty("bind") String bind,
      @JsonProperty("port") Integer port,
      @JsonProperty("api_keys") List<String> apiKeys,
      @JsonProperty("provider_timeout") String providerTimeout) {}

  record Sync(
      @JsonProperty("customer_id") String customerId,
      @JsonProperty("provider") String provider,
      @JsonProperty("source") Source source,
      @JsonProperty("common_objects") List<String> commonObjects,
      @JsonProperty("standard_objects") List<String> standardObjects,
      @JsonProperty("custom_objects") List<String> customObjects,
      @JsonProperty("strategy") SyncStrategy strategy,
      @JsonProperty("full_every_n_incrementals") Integer fullEveryNIncrementals,
      @JsonProperty("delete_check_every_n_incrementals") Integer deleteCheckEveryNIncrementals,
      @JsonProperty("period") String period) {}

  record Source(
      @JsonProperty("extract") String extract,
      @JsonProperty("api") Api api) {}

  record Api(
      @JsonProperty("base_url") String baseUrl,
      @JsonProperty("token") String token,
      @JsonProperty("api_token") String apiToken,
      @JsonProperty("refresh_token") String refreshToken,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("client_secret") String clientSecret,
      @JsonProperty("token_url") String tokenUrl,
      @JsonProperty("max_attempts") Integer maxAttempts,
      @JsonProperty("backoff_ms") Long backoffMillis) {}
}
