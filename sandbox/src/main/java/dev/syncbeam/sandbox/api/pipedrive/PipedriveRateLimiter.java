package dev.syncbeam.sandbox.api.pipedrive;

import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.EndpointKind;
import dev.syncbeam.sandbox.api.RateLimiter;
import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.RollingWindow;
import java.time.Instant;
import java.util.Map;

/**
 * Pipedrive's burst limit for one API token: a rolling 2-second window, reported on every answer
 * in x-ratelimit-limit / -remaining / -reset (whole seconds until the window is clear); over it,
 * a 429 with Pipedrive's own error body.
 */
final class PipedriveRateLimiter implements RateLimiter {
  private static final long WINDOW_NANOS = 2_000_000_000L;
  private final RollingWindow window;

  PipedriveRateLimiter(RateLimits limits) {
    window = new RollingWindow(limits.pipedrivePerTwoSeconds(), WINDOW_NANOS);
  }

  @Override
  public Admission admit(EndpointKind kind) {
    long now = System.nanoTime();
    int remaining = window.tryAdmit(now);
    long resetSeconds = Math.max(1, (window.nanosUntilReset(now) + 999_999_999L) / 1_000_000_000L);
    Map<String, String> headers = Map.of("x-ratelimit-limit", String.valueOf(window.limit()),
        "x-ratelimit-remaining", String.valueOf(Math.max(0, remaining)), "x-ratelimit-reset", String.valueOf(resetSeconds));
    if (remaining >= 0) return Admission.admitted(headers, () -> {});
    ApiResponse refusal = ApiResponse.json(429, PipedriveEmulator.error(429, "Request over limit"));
    headers.forEach(refusal::withHeader);
    // the window only clears when its newest admission ages out: the reset it announced
    return Admission.refused(refusal, Instant.now().plusNanos(window.nanosUntilRoom(now)));
  }
}
