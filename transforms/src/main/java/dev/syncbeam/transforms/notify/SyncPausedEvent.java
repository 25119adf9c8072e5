package dev.syncbeam.transforms.notify;

import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.bookkeeping.WebhookEventType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code sync.paused}: a sync was paused, by a user or because the provider refused its credentials. */
public record SyncPausedEvent(String eventId, SyncKey key, ObjectType objectType, String pauseReason) implements WebhookEvent {
  /** The reason Supaglue gave for a pause someone asked for. */
  public static final String MANUAL = "Manually paused by user";

  /** A new pause: each one is its own event, with an id of its own. */
  public static SyncPausedEvent of(SyncKey key, ObjectType objectType, String pauseReason) {
    return new SyncPausedEvent("sync_paused_" + UUID.randomUUID(), key, objectType, pauseReason);
  }

  @Override
  public WebhookEventType type() {
    return WebhookEventType.SYNC_PAUSED;
  }

  @Override
  public Long runId() {
    return null;
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("webhook_event_type", type().value());
    f.put("customer_id", key.customerId());
    f.put("provider_name", key.provider());
    f.put("type", "object");
    f.put("object_type", objectType.value());
    f.put("object", key.object());
    f.put("pause_reason", pauseReason);
    return f;
  }
}
