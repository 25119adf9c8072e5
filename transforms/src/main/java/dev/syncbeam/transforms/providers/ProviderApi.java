package dev.syncbeam.transforms.providers;

import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * How one provider's live API is read. A sync's run is first broken into read tasks of the
 * provider's own task type {@code T} (one, or several that a cluster spreads over workers:
 * Salesforce Id ranges, HubSpot's live and archived listings); each task is then read page by page.
 * Records are handed on as the provider's own JSON, exactly as an extract file would hold them, so
 * everything downstream is the same for both sources.
 *
 * <p>Full runs must return deleted records too (Salesforce queryAll, HubSpot archived=true listing,
 * Pipedrive deleted items), and incremental runs ({@link PlannedSync#readFrom()} not null) only
 * records modified at or after that instant.
 */
public interface ProviderApi<T extends ApiReadTask> extends Serializable {
  /** The provider's task type, so a task that travelled as an {@link ApiReadTask} can be read again. */
  Class<T> taskType();

  /** The read tasks of one sync's run. May call the API (describe, job creation, counts). */
  List<T> plan(PlannedSync sync, ApiClient client) throws IOException;

  /** Reads one task, handing each record's JSON text and its origin (for dead letters) to {@code out}. */
  void read(PlannedSync sync, T task, ApiClient client, RecordSink out) throws IOException;

  /** {@link #read} for a task known only as an {@link ApiReadTask}; it must be one this reader planned. */
  default void readPlanned(PlannedSync sync, ApiReadTask task, ApiClient client, RecordSink out) throws IOException {
    read(sync, taskType().cast(task), client, out);
  }

  /** Labels the common-object mapping needs (pipelines, stages, field names), fetched once in the driver. */
  CommonLookups lookups(String object, CommonObject commonObject, ApiClient client, Consumer<String> warnings) throws IOException;

  /**
   * One cheap authenticated read of the object's metadata, for {@code syncbeam check}: proves the
   * base URL, the credentials and the object name before any run depends on them.
   */
  void probe(String object, ApiClient client) throws IOException;

  /** Receives records as they are read. */
  @FunctionalInterface
  interface RecordSink {
    void accept(String recordJson, String origin);

    /** Text that should have held records and did not parse: the run must not pass it by as if empty. */
    default void unreadable(String text, String origin, String error) throws IOException {
      throw new IOException(origin + ": " + error);
    }
  }
}
