package dev.syncbeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.JsonbText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.RawRows;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.StagedRow;
import dev.syncbeam.transforms.providers.ProviderRecords;
import dev.syncbeam.transforms.providers.Providers;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The destination rows of one provider record: its raw-table row and, for a common object, its
 * crm_* row. {@link Normalize} builds every sync's rows here; a single record written outside a
 * pipeline (the serve cache refresh) goes through the same code, so it lands exactly as a sync's.
 */
public final class RecordRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordRows() {}

  /** The raw-table row; {@code modified} null (no modification time) is stored as 1970-01-01. */
  static StagedRow raw(PlannedSync sync, TableDefinition table, ProviderRecords provider, JsonNode keyFields, String id,
      Instant modified, String payload) {
    Instant lastModified = modified != null ? modified : Timestamps.EPOCH;
    String line = RawRows.line(table, new RawRows.RawRecord(sync.key().applicationId(), sync.key().provider(),
        sync.key().customerId(), sync.customObjectName(), id, sync.emittedAt(), lastModified, provider.deleted(keyFields), payload));
    return new StagedRow(table.name(), sync.runKey(), sync.runId(), id, lastModified.toEpochMilli(), line,
        sync.sweeps());
  }

  /**
   * Both rows of one record given as the provider's JSON text (raw first, then crm_* when the sync
   * lands a common object). Throws when the record has no id, holds text jsonb refuses, or cannot
   * be mapped: a caller outside a pipeline has no dead-letter table to put it in.
   */
  public static List<StagedRow> of(PlannedSync sync, String payload) throws IOException {
    ProviderRecords provider = Providers.get(sync.key().provider()).records();
    JsonNode record = JSON.readTree(payload);
    String id = provider.id(record);
    if (id == null) throw new IOException("the " + sync.key().provider() + " record has no id");
    String refused = JsonbText.problem(payload);
    if (refused != null) throw new IOException("record " + id + ": " + refused);
    Instant modified = provider.lastModified(record);
    List<StagedRow> rows = new ArrayList<>(2);
    rows.add(raw(sync, ObjectTables.forTableName(sync.rawTable()), provider, record, id, modified, payload));
    if (sync.commonObject() != null) {
      rows.add(CommonObjectRows.encode(sync, ObjectTables.forTableName(sync.commonTable()), record, payload, id, modified).row());
    }
    return rows;
  }
}
