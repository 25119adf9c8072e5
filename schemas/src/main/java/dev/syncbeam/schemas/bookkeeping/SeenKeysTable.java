package dev.syncbeam.schemas.bookkeeping;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;

/**
 * All SQL of {@code _syncbeam_seen_keys}: the record ids a run in progress has read. Writers add to
 * it; a full refresh's sweep marks deleted the rows whose id it does not hold; ending a run clears it.
 * A replayed batch may add an id twice, which changes nothing.
 */
public final class SeenKeysTable {
  private final String table;

  public SeenKeysTable(String schema) {
    this.table = SqlIdentifiers.qualified(schema, SyncbeamTables.SEEN_KEYS);
  }

  public String qualifiedName() {
    return table;
  }

  /** COPY text lines: run id, record id. */
  public String copyIn() {
    return "COPY " + table + " (run_id, record_id) FROM STDIN";
  }

  /**
   * Record id, then the sync's key: the id counts as read by every run of the sync in progress, so a
   * record written through the actions API while a full refresh runs is not swept by it.
   */
  public String addToRunsInProgress(String syncRunsTable) {
    return "INSERT INTO " + table + " (run_id, record_id) SELECT r.run_id, ? FROM " + syncRunsTable + " r"
        + " WHERE r.application_id = ? AND r.provider_name = ? AND r.customer_id = ? AND r.object_name = ?"
        + " AND r.status = '" + RunStatus.IN_PROGRESS.name() + "'";
  }

  /** Parameter: an array of run ids that ended. */
  public String forgetRuns() {
    return "DELETE FROM " + table + " WHERE run_id = ANY (?)";
  }
}
