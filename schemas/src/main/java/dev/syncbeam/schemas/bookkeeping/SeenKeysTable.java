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

  /** Run id, record id: one id seen by a run, from outside its pipeline (a write through serve while it runs). */
  public String add() {
    return "INSERT INTO " + table + " (run_id, record_id) VALUES (?, ?)";
  }

  /** Parameter: an array of run ids that ended. */
  public String forgetRuns() {
    return "DELETE FROM " + table + " WHERE run_id = ANY (?)";
  }
}
