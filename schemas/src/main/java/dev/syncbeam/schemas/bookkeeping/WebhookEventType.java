package dev.syncbeam.schemas.bookkeeping;

/** The webhook events SyncBeam sends, named as Supaglue named them ({@code webhook_event_type}). */
public enum WebhookEventType {
  SYNC_COMPLETE("sync.complete"),
  SYNC_PAUSED("sync.paused");

  private final String value;

  WebhookEventType(String value) {
    this.value = value;
  }

  /** As sent and stored. */
  public String value() {
    return value;
  }
}
