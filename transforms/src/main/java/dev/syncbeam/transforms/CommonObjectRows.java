package dev.syncbeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import dev.syncbeam.schemas.unified.UnifiedRows;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.StagedRow;
import dev.syncbeam.transforms.providers.CommonObjectMapping;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.FieldReader;
import java.time.Instant;

/** The crm_* row of a record whose sync also lands a common object: mapped by its provider, encoded for COPY. */
final class CommonObjectRows {
  private CommonObjectRows() {}

  /** The row and how many of the record's values became NULL because they would not parse. */
  record Encoded(StagedRow row, int coerced) {}

  /**
   * @param modified the record's modification time as Normalize read it, or null when it has none
   * @throws RuntimeException when the provider's mapping cannot map the record (the caller dead-letters it)
   */
  static Encoded encode(PlannedSync sync, TableDefinition table, JsonNode record, String rawPayload, String id,
      Instant modified) {
    CommonObjectMapping mapping = Providers.get(sync.key().provider()).commonObjects();
    FieldReader read = new FieldReader();
    UnifiedRecord unified = mapping.map(sync.commonObject(),
        new CommonObjectMapping.Input(record, id, modified, sync.lookups(), read));
    String rawData = mapping.rawData(sync.commonObject(), record, rawPayload, sync.lookups());
    String line = UnifiedRows.line(table, sync.key().applicationId(), sync.key().provider(), sync.key().customerId(),
        sync.emittedAt(), unified, rawData);
    StagedRow row = new StagedRow(table.name(), sync.runKey(), sync.runId(), id, unified.meta().lastModifiedAt().toEpochMilli(),
        line, sync.sweeps());
    return new Encoded(row, read.coerced());
  }
}
