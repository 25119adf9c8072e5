package dev.syncbeam.transforms.providers;

import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * How one provider's live API is read. A sync's run is first broken into read tasks (one, or several
 * that a cluster spreads over workers: Salesforce Bulk result chunks, Id ranges); each task is then
 * read page by page. Records are handed on as the provider's own JSON, exactly as an extract file
 * would hold them, so everything downstream is the same for both sources.
 *
 * <p>Full runs must return deleted records too (Salesforce queryAll, HubSpot archived=true listing,
 * Pipedrive deleted items), and incremental runs ({@link PlannedSync#readFrom()} not null) only
 * records modified at or after that instant.
 */
public interface ProviderApi extends Serializable {
  /** The read tasks of one sync's run. May call the API (describe, job creation, counts). */
  List<ApiReadTask> plan(PlannedSync sync, ApiClient client) throws IOException;

  /** Reads one task, handing each record's JSON text and its origin (for dead letters) to {@code out}. */
  void read(PlannedSync sync, ApiReadTask task, ApiClient client, RecordSink out) throws IOException;

  /** Labels the common-object mapping needs (pipelines, stages, field names), fetched once in the driver. */
  CommonLookups lookups(String object, String commonObject, ApiClient client, Consumer<String> warnings) throws IOException;

  /**
   * One cheap authenticated read of the object's metadata, for {@code syncbeam check}: proves the
   * base URL, the credentials and the object name before any run depends on them.
   */
  void probe(String object, ApiClient client) throws IOException;

  /** Receives records as they are read. */
  @FunctionalInterface
  interface RecordSink {
    void accept(String recordJson, String origin);
  }
}
