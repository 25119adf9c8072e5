package dev.syncbeam.sandbox.api;

import java.time.Instant;
import java.util.Map;

/** One tenant's provider limits: admits a request, or answers it the way the provider refuses over-limit requests. */
public interface RateLimiter {
  RateLimiter NONE = kind -> Admission.ADMITTED;

  Admission admit(EndpointKind kind);

  /**
   * The limiter's word on one request: a refusal to send instead of the answer, or headers to add
   * to the answer; {@code release} runs when the answer has gone out.
   *
   * @param retryAt when a refusal told the client it may try again (null: it did not say)
   */
  record Admission(ApiResponse refusal, Map<String, String> headers, Instant retryAt, Runnable release) {
    public static final Admission ADMITTED = new Admission(null, Map.of(), null, () -> {});

    public static Admission admitted(Map<String, String> headers, Runnable release) {
      return new Admission(null, headers, null, release);
    }

    public static Admission refused(ApiResponse refusal, Instant retryAt) {
      return new Admission(refusal, Map.of(), retryAt, () -> {});
    }

    public boolean isRefused() {
      return refusal != null;
    }
  }
}
