package dev.syncbeam.schemas.bookkeeping;

/** {@code _syncbeam_webhook_outbox.status}: an event is pending until the receiver acknowledges it or retries run out. */
public enum DeliveryStatus {
  PENDING,
  DELIVERED,
  /** Retried for the whole retry period without a 2xx answer; kept for {@code syncbeam webhooks} to show. */
  FAILED
}
