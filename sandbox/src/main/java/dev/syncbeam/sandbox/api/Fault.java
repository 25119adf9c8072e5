package dev.syncbeam.sandbox.api;

/** What can go wrong with one request. Token expiry and revocation are states, see {@link Faults}. */
public enum Fault {
  /** 429 with {@code Retry-After} (seconds, {@link Faults#retryAfterSeconds(int)}). */
  HTTP_429,
  /** 500 with the provider's error body. */
  HTTP_500,
  /** The normal response, after {@link Faults#slowDelay(java.time.Duration)}. */
  SLOW,
  /** A 200 whose body is the first half of the real one (with a matching Content-Length). */
  TRUNCATED_BODY,
  /** The connection is closed without any response. */
  DROPPED_CONNECTION
}
