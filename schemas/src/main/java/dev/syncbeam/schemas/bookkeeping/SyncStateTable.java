package dev.syncbeam.schemas.bookkeeping;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;

/**
 * All SQL of {@code _syncbeam_sync_state} (one row per sync) and of the per-sync advisory lock that
 * says a process is running the sync. Statements that take a sync bind its key first, in
 * {@link #KEY} order: application, provider, customer, object.
 */
public final class SyncStateTable {
  public static final String KEY = "application_id = ? AND provider_name = ? AND customer_id = ? AND object_name = ?";
  /** The columns {@link #load()} and {@link #list()} return, in this order. */
  public static final String COLUMNS = "strategy, phase, watermark, paused, paused_reason, force_full, incrementals_since_full,"
      + " last_emitted_at";

  private final String table;
  private final String schema;

  public SyncStateTable(String schema) {
    this.schema = schema;
    this.table = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_STATE);
  }

  public String qualifiedName() {
    return table;
  }

  /** Key, strategy, object type: creates the row on first sight and records the configured strategy and object type. */
  public String ensure() {
    return "INSERT INTO " + table + " (application_id, provider_name, customer_id, object_name, strategy, object_type)"
        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, provider_name, customer_id, object_name)"
        + " DO UPDATE SET strategy = EXCLUDED.strategy, object_type = EXCLUDED.object_type";
  }

  /** Key; returns {@link #COLUMNS}. */
  public String load() {
    return "SELECT " + COLUMNS + " FROM " + table + " WHERE " + KEY;
  }

  /** Key. */
  public String requestFullRefresh() {
    return "UPDATE " + table + " SET force_full = true WHERE " + KEY;
  }

  /**
   * Reason, updated-at, then key; returns the sync's object type, for the event that tells of the
   * pause. A sync already paused is left as it is (first reason kept) and returns nothing: one pause, one event.
   */
  public String pause() {
    return "UPDATE " + table + " SET paused = true, paused_reason = ?, updated_at = ? WHERE " + KEY + " AND NOT paused"
        + " RETURNING object_type";
  }

  /** Updated-at, then key. */
  public String resume() {
    return "UPDATE " + table + " SET paused = false, paused_reason = NULL, updated_at = ? WHERE " + KEY;
  }

  /** Emitted-at, updated-at, then key: the stamp of the run just opened, so the next run's is later. */
  public String stampEmittedAt() {
    return "UPDATE " + table + " SET last_emitted_at = ?, updated_at = ? WHERE " + KEY;
  }

  /**
   * After a successful run: the new watermark (null keeps it; it never moves back), whether the run
   * was full (then the phase moves on and a requested full refresh is done), updated-at, then key.
   */
  public String advance() {
    return "UPDATE " + table + " SET"
        + " watermark = CASE WHEN ?::timestamp IS NULL THEN watermark ELSE GREATEST(watermark, ?::timestamp) END,"
        + " phase = CASE WHEN ? THEN '" + SyncPhase.INCREMENTAL.value() + "' ELSE phase END,"
        + " force_full = CASE WHEN ? THEN false ELSE force_full END,"
        + " incrementals_since_full = CASE WHEN ? THEN 0 ELSE incrementals_since_full + 1 END,"
        + " updated_at = ? WHERE " + KEY;
  }

  /** Every sync's state, for {@code syncbeam status}. */
  public String list() {
    return "SELECT application_id AS app, customer_id || '/' || provider_name || '/' || object_name AS sync,"
        + " strategy, phase, watermark, CASE WHEN paused THEN 'paused: ' || coalesce(paused_reason, '') ELSE '' END AS paused,"
        + " CASE WHEN force_full THEN 'yes' ELSE '' END AS full_refresh_requested FROM " + table
        + " ORDER BY application_id, customer_id, provider_name, object_name";
  }

  /** Application: forgets every sync of one application (the demo starts afresh each time). */
  public String deleteApplication() {
    return "DELETE FROM " + table + " WHERE application_id = ?";
  }

  /**
   * One parameter, {@link #lockName}: takes the sync's session advisory lock if nobody holds it.
   * The lock lives as long as the session, so a process that dies releases it.
   */
  public static String tryLock() {
    return "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
  }

  public static String unlock() {
    return "SELECT pg_advisory_unlock(hashtextextended(?, 0))";
  }

  /**
   * Every lock of the session at once, released before the statement answers: a closed session's
   * locks go only when its backend exits, which a run started right after may beat.
   */
  public static String unlockAll() {
    return "SELECT pg_advisory_unlock_all()";
  }

  /**
   * One parameter, {@link #lockName}: the {@code application_name} of the session holding the sync's
   * lock, or no row when nobody holds it. A bigint advisory lock shows in pg_locks split in two halves.
   */
  public static String lockHolder() {
    return "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        + " WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted"
        + " AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(?, 0)";
  }

  /** What the lock of one sync is called, unique per destination schema. */
  public String lockName(String applicationId, String provider, String customerId, String object) {
    return "syncbeam-sync:" + schema + ":" + applicationId + "/" + provider + "/" + customerId + "/" + object;
  }
}
