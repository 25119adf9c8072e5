package dev.syncbeam.schemas.bookkeeping;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;

/** All SQL of {@code _syncbeam_dead_letters}: records set aside with their run, sync, id, error and payload. */
public final class DeadLettersTable {
  private final String table;

  public DeadLettersTable(String schema) {
    this.table = SqlIdentifiers.qualified(schema, SyncbeamTables.DEAD_LETTERS);
  }

  public String qualifiedName() {
    return table;
  }

  /**
   * Run id, key, record id, error, payload, fingerprint. A replayed bundle inserts the same
   * fingerprints again, which are then left alone: one row per bad record, however often it is retried.
   */
  public String insert() {
    return "INSERT INTO " + table
        + " (run_id, application_id, provider_name, customer_id, object_name, record_id, error, payload, fingerprint)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  }
}
