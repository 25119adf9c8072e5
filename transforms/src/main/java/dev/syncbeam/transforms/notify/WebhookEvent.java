package dev.syncbeam.transforms.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.WebhookEventType;
import java.util.Map;

/** One webhook event: its stable id (receivers de-duplicate by it), the sync it is about, and its JSON body. */
public sealed interface WebhookEvent permits SyncCompleteEvent, SyncPausedEvent {
  ObjectMapper JSON = new ObjectMapper();

  String eventId();

  WebhookEventType type();

  SyncKey key();

  /** The run it reports, or null. */
  Long runId();

  /** The body's fields, in the order they are sent. */
  Map<String, Object> fields();

  /** The body exactly as stored, signed and posted. */
  default String body() {
    try {
      return JSON.writeValueAsString(fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("webhook body of " + eventId() + " does not serialize", e);
    }
  }
}
