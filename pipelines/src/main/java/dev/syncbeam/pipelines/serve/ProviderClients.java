package dev.syncbeam.pipelines.serve;

import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per connection and purpose, kept for the server's life so token refreshes and
 * rate-limit pacing carry over between requests. Writes are sent once: a create that timed out may
 * have happened, and sending it again could make a second record. Reads retry briefly.
 */
final class ProviderClients {
  private static final int READ_ATTEMPTS = 3;
  private static final long READ_BACKOFF_MILLIS = 200;
  private final Duration timeout;
  private final Map<String, ApiClient> writes = new ConcurrentHashMap<>();
  private final Map<String, ApiClient> reads = new ConcurrentHashMap<>();

  ProviderClients(Duration timeout) {
    this.timeout = timeout;
  }

  ApiClient writes(CrmConnection c) {
    return writes.computeIfAbsent(key(c), k -> new ApiClient(c.provider(), source(c).withRetries(1, READ_BACKOFF_MILLIS), timeout));
  }

  ApiClient reads(CrmConnection c) {
    return reads.computeIfAbsent(key(c), k -> new ApiClient(c.provider(), source(c).withRetries(READ_ATTEMPTS, READ_BACKOFF_MILLIS), timeout));
  }

  private static ApiSource source(CrmConnection c) {
    ApiSource api = c.sync().api();
    if (api == null) {
      throw ServeError.badRequest("the " + c.provider() + " connection of customer '" + c.customerId()
          + "' reads extract files; it has no live API to act on (configure source.api)");
    }
    return api;
  }

  private static String key(CrmConnection c) {
    return c.customerId() + "/" + c.provider();
  }
}
