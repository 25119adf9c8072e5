package dev.syncbeam.transforms.notify;

import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.schemas.bookkeeping.WebhookEventType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sync.complete}: a run ended, with Supaglue's fields. Its id is derived from the run id, so
 * however often it is posted a receiver sees one event per run.
 */
public record SyncCompleteEvent(
    long run,
    SyncKey key,
    ObjectType objectType,
    RunStatus status,
    long recordsWritten,
    long recordsDeleted,
    String error) implements WebhookEvent {

  /** Supaglue's {@code result}: a run either succeeded or it did not. */
  public enum Result { SUCCESS, ERROR }

  @Override
  public String eventId() {
    return "sync_complete_" + run;
  }

  @Override
  public WebhookEventType type() {
    return WebhookEventType.SYNC_COMPLETE;
  }

  @Override
  public Long runId() {
    return run;
  }

  public Result result() {
    return status == RunStatus.SUCCESS ? Result.SUCCESS : Result.ERROR;
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("webhook_event_type", type().value());
    f.put("run_id", Long.toString(run));
    f.put("connection_id", key.connectionId());
    f.put("customer_id", key.customerId());
    f.put("provider_name", key.provider());
    f.put("type", "object");
    f.put("object_type", objectType.value());
    f.put("object", key.object());
    f.put("result", result().name());
    f.put("num_records_synced", recordsWritten);
    f.put("num_records_deleted", recordsDeleted);
    f.put("error_message", error);
    return f;
  }
}
