package dev.syncbeam.sandbox.api.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.EndpointKind;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.RateLimiter;
import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.RollingWindow;
import java.util.Map;
import java.util.UUID;

/**
 * HubSpot's limits for one portal: a rolling 10-second window over every request but search,
 * reported in the X-HubSpot-RateLimit-* headers, and a separate per-second limit on CRM search,
 * whose answers carry no such headers. Over either, a 429 with HubSpot's RATE_LIMIT body naming the policy.
 */
final class HubSpotRateLimiter implements RateLimiter {
  static final long INTERVAL_MILLIS = 10_000;
  private final RollingWindow tenSecondly;
  private final RollingWindow searchSecondly;

  HubSpotRateLimiter(RateLimits limits) {
    tenSecondly = new RollingWindow(limits.hubspotPerTenSeconds(), INTERVAL_MILLIS * 1_000_000);
    searchSecondly = new RollingWindow(limits.hubspotSearchPerSecond(), 1_000_000_000L);
  }

  @Override
  public Admission admit(EndpointKind kind) {
    long now = System.nanoTime();
    if (kind == EndpointKind.SEARCH) {
      if (searchSecondly.tryAdmit(now) >= 0) return Admission.ADMITTED;
      return Admission.refused(ApiResponse.json(429, body("secondly", "SECONDLY")), null);
    }
    int remaining = tenSecondly.tryAdmit(now);
    Map<String, String> headers = Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(INTERVAL_MILLIS),
        "X-HubSpot-RateLimit-Max", String.valueOf(tenSecondly.limit()),
        "X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, remaining)));
    if (remaining >= 0) return Admission.admitted(headers, () -> {});
    ApiResponse refusal = ApiResponse.json(429, body("ten_secondly_rolling", "TEN_SECONDLY_ROLLING"));
    headers.forEach(refusal::withHeader);
    return Admission.refused(refusal, null);
  }

  private static ObjectNode body(String limit, String policy) {
    return Json.object().put("status", "error").put("message", "You have reached your " + limit + " limit.")
        .put("errorType", "RATE_LIMIT").put("correlationId", UUID.randomUUID().toString()).put("policyName", policy)
        .put("requestId", UUID.randomUUID().toString());
  }
}
