package dev.syncbeam.transforms.model;

import dev.syncbeam.schemas.SyncKey;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One sync's run as decided before the pipeline starts: which run it is, what to read and where
 * its rows land. Travels by value to every worker.
 *
 * @param readFrom incremental runs skip records modified before this (watermark minus overlap); null reads all
 * @param extractRoot the folder holding {@code <object>/*} extract files
 * @param rawTable the standard-object table, or {@code custom_objects}
 * @param customObjectName the slugged {@code _supaglue_object_name} when rawTable is custom_objects, else null
 */
public record PlannedSync(
    SyncKey key,
    RunMode mode,
    long runId,
    Instant emittedAt,
    Instant readFrom,
    String extractRoot,
    String rawTable,
    String customObjectName)
    implements Serializable {

  public String label() {
    return key.label();
  }

  public List<String> tables() {
    return List.of(rawTable);
  }
}
