package dev.syncbeam.sandbox.api.salesforce;

import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.EndpointKind;
import dev.syncbeam.sandbox.api.RateLimiter;
import dev.syncbeam.sandbox.api.RateLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salesforce's concurrent-request limit for one org: requests shorter than the long-running
 * threshold are never limited; while the org already has the allowed number of requests running
 * past it, a new request is refused with HTTP 403 REQUEST_LIMIT_EXCEEDED, as the REST API does.
 */
final class SalesforceRateLimiter implements RateLimiter {
  private final int limit;
  private final long longNanos;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Long> running = new ConcurrentHashMap<>();

  SalesforceRateLimiter(RateLimits limits) {
    this.limit = limits.salesforceConcurrentLongRequests();
    this.longNanos = limits.salesforceLongRequest().toNanos();
  }

  @Override
  public Admission admit(EndpointKind kind) {
    long now = System.nanoTime();
    long longRunning = running.values().stream().filter(start -> now - start >= longNanos).count();
    if (longRunning >= limit) {
      return Admission.refused(ApiResponse.json(403, SalesforceEmulator.error("REQUEST_LIMIT_EXCEEDED",
          "ConcurrentRequests (Concurrent API Requests) Limit exceeded.")), null);
    }
    long id = ids.incrementAndGet();
    running.put(id, now);
    return Admission.admitted(Map.of(), () -> running.remove(id));
  }
}
