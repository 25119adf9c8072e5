package dev.syncbeam.schemas.bookkeeping;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * All SQL of {@code _syncbeam_sync_runs} (one row per run). A run is opened IN_PROGRESS and ended
 * exactly once: every statement that ends a run only touches it while it is still in progress, so
 * a run recorded as stopped or abandoned can never be turned into a success afterwards.
 */
public final class SyncRunsTable {
  private final String table;
  private final String state;

  public SyncRunsTable(String schema) {
    this.table = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_RUNS);
    this.state = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_STATE);
  }

  public String qualifiedName() {
    return table;
  }

  /**
   * What the statements that end runs return of each run they ended, in this order: id, key,
   * status, written, deleted, error, and the sync's object type; a webhook event is made of it.
   * Each of those statements names the runs' table {@code r}.
   */
  private String ended() {
    return " RETURNING r.run_id, r.application_id, r.provider_name, r.customer_id, r.object_name, r.status, r.records_written,"
        + " r.records_deleted, r.error, " + objectTypeOfRun();
  }

  /** The object type of run {@code r}'s sync, from its state row (null for a sync planned before the column existed). */
  private String objectTypeOfRun() {
    return "(SELECT s.object_type FROM " + state + " s WHERE s.application_id = r.application_id"
        + " AND s.provider_name = r.provider_name AND s.customer_id = r.customer_id AND s.object_name = r.object_name)";
  }

  /** Whether the table exists yet (a destination SyncBeam never ran against has none). */
  public String exists() {
    return "SELECT to_regclass('" + table.replace("'", "''") + "') IS NOT NULL";
  }

  /** Key, mode, status (IN_PROGRESS), started-at, emitted-at; returns run_id. */
  public String open() {
    return "INSERT INTO " + table
        + " (application_id, provider_name, customer_id, object_name, strategy, status, started_at, emitted_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id";
  }

  /** Run id: locks the run's row for the transaction that ends it and returns its status. */
  public String lockForEnd() {
    return "SELECT status FROM " + table + " WHERE run_id = ? FOR UPDATE";
  }

  /**
   * Status, ended-at, read, written, deleted, skipped, dead letters, coerced, error, notes, run id,
   * then IN_PROGRESS. The sync's watermark after the run is copied from its state row. Returns the
   * run as ended(), when it was still in progress.
   */
  public String end() {
    return "UPDATE " + table + " r SET status = ?, ended_at = ?, records_read = ?, records_written = ?, records_deleted = ?,"
        + " records_skipped = ?, dead_letters = ?, coerced = ?, error = ?, notes = ?, api_requests = ?, api_bytes = ?,"
        + " watermark_after = (SELECT s.watermark FROM " + state + " s WHERE s.application_id = r.application_id"
        + " AND s.provider_name = r.provider_name AND s.customer_id = r.customer_id AND s.object_name = r.object_name)"
        + " WHERE r.run_id = ? AND r.status = ?" + ended();
  }

  /** FAILURE, ended-at, error, run ids (bigint[]), IN_PROGRESS: ends the runs still in progress; returns them as ended(). */
  public String failUnfinished() {
    return "UPDATE " + table + " r SET status = ?, ended_at = ?, error = ? WHERE r.run_id = ANY(?) AND r.status = ?" + ended();
  }

  /** FAILURE, ended-at, error, key, IN_PROGRESS: ends every run of one sync still in progress; returns them as ended(). */
  public String failInProgressOfSync() {
    return "UPDATE " + table + " r SET status = ?, ended_at = ?, error = ? WHERE " + SyncStateTable.KEY
        + " AND r.status = ?" + ended();
  }

  /** IN_PROGRESS: the syncs that have a run in progress, with its id and start. */
  public String inProgress() {
    return "SELECT application_id, provider_name, customer_id, object_name, run_id, started_at FROM " + table
        + " WHERE status = ? ORDER BY run_id";
  }

  /** Key, IN_PROGRESS: the runs of one sync in progress, oldest first. */
  public String inProgressOfSync() {
    return "SELECT run_id, started_at FROM " + table + " WHERE " + SyncStateTable.KEY + " AND status = ? ORDER BY run_id";
  }

  /** Run ids (bigint[]), a status: how many of them have it. */
  public String countWithStatus() {
    return "SELECT count(*) FROM " + table + " WHERE run_id = ANY(?) AND status = ?";
  }

  /** Run ids (bigint[]), SUCCESS: how many of them did not succeed. */
  public String countNotSucceeded() {
    return "SELECT count(*) FROM " + table + " WHERE run_id = ANY(?) AND status <> ?";
  }

  /** What a person reading runs wants to see of each. */
  private static final String RUN = "run_id AS run, customer_id || '/' || provider_name || '/' || object_name AS sync,"
      + " strategy AS mode, status";
  private static final String COUNTS = "records_read AS read, records_written AS written, records_deleted AS swept,"
      + " records_skipped AS skipped, dead_letters, coerced";
  private static final String SECONDS = "round(extract(epoch FROM ended_at - started_at)::numeric, 1) AS seconds";
  private static final String MESSAGE = "coalesce(error, notes, '') AS message";

  /** Run ids (bigint[]): one line per run, as the command line reports a finished invocation. */
  public String report() {
    return "SELECT " + RUN + ", " + COUNTS + ", " + SECONDS + ", " + MESSAGE + " FROM " + table
        + " WHERE run_id = ANY(?) ORDER BY run_id";
  }

  /** Key: the statuses of the sync's latest runs, newest first, for the stream's backoff. */
  public String latestStatusesOfSync() {
    return "SELECT status FROM " + table + " WHERE " + SyncStateTable.KEY + " ORDER BY run_id DESC LIMIT 16";
  }

  /** Key: when the sync's latest run started, and its status; no row for a sync never run. */
  public String latestOfSync() {
    return "SELECT started_at, status FROM " + table + " WHERE " + SyncStateTable.KEY + " ORDER BY run_id DESC LIMIT 1";
  }

  /**
   * SUCCESS, started-at, IN_PROGRESS: the runs started since then that have ended, by id, as
   * {@link #report()} shows them, and whether each moved its sync's watermark past where the sync's
   * previous successful run left it ({@code watermark_moved}).
   */
  public String endedSince() {
    return "SELECT " + RUN + ", " + COUNTS + ", " + SECONDS + ", " + MESSAGE + ", r.watermark_after IS DISTINCT FROM"
        + " (SELECT p.watermark_after FROM " + table + " p WHERE p.application_id = r.application_id"
        + " AND p.provider_name = r.provider_name AND p.customer_id = r.customer_id AND p.object_name = r.object_name"
        + " AND p.run_id < r.run_id AND p.status = ? ORDER BY p.run_id DESC LIMIT 1) AS watermark_moved"
        + " FROM " + table + " r WHERE r.started_at >= ? AND r.status <> ? ORDER BY r.run_id";
  }

  /** Run ids (bigint[]): their dead letters in all. */
  public String deadLetterTotal() {
    return "SELECT coalesce(sum(dead_letters), 0) FROM " + table + " WHERE run_id = ANY(?)";
  }

  /** Limit: the most recent runs, newest first, for {@code syncbeam status}. */
  public String recent() {
    return "SELECT " + RUN + ", started_at, " + SECONDS + ", " + COUNTS + ", " + MESSAGE + " FROM " + table
        + " ORDER BY run_id DESC LIMIT ?";
  }

  /**
   * Which runs the management API lists; a null field does not filter. Timestamps compare with the
   * run's start or end, strictly ({@code >ISO} is after, {@code <ISO} before).
   */
  public record RunFilter(String applicationId, String customerId, String provider, ObjectType objectType, String object,
      RunStatus status, Instant startedAfter, Instant startedBefore, Instant endedAfter,
      Instant endedBefore) {}

  /** A statement and its parameters in order (text, numbers and instants, bound by the caller). */
  public record Query(String sql, List<Object> params) {}

  /** As {@link ObjectType#of} reads a missing one: standard. */
  private String storedObjectTypeOfRun() {
    return "coalesce(" + objectTypeOfRun() + ", '" + ObjectType.STANDARD.value() + "')";
  }

  private Query where(RunFilter f, String select, String tail, Object... tailParams) {
    StringBuilder sql = new StringBuilder(select).append(" FROM ").append(table).append(" r WHERE r.application_id = ?");
    List<Object> params = new ArrayList<>(List.of(f.applicationId()));
    and(sql, params, "r.customer_id = ?", f.customerId());
    and(sql, params, "r.provider_name = ?", f.provider());
    and(sql, params, "r.object_name = ?", f.object());
    and(sql, params, storedObjectTypeOfRun() + " = ?", f.objectType() == null ? null : f.objectType().value());
    and(sql, params, "r.status = ?", f.status() == null ? null : f.status().name());
    and(sql, params, "r.started_at > ?", f.startedAfter());
    and(sql, params, "r.started_at < ?", f.startedBefore());
    and(sql, params, "r.ended_at > ?", f.endedAfter());
    and(sql, params, "r.ended_at < ?", f.endedBefore());
    params.addAll(List.of(tailParams));
    return new Query(sql.append(tail).toString(), params);
  }

  /** A condition with one parameter, only when the filter sets it. */
  private static void and(StringBuilder sql, List<Object> params, String condition, Object value) {
    if (value == null) return;
    sql.append(" AND ").append(condition);
    params.add(value);
  }

  /** One page of the filtered runs, newest first: id, key, object type, strategy, status, times, counts, error. */
  public Query page(RunFilter f, int limit, long offset) {
    return where(f, "SELECT r.run_id, r.application_id, r.provider_name, r.customer_id, r.object_name, "
        + storedObjectTypeOfRun() + " AS object_type, r.strategy, r.status, r.started_at, r.ended_at,"
        + " r.records_written, r.records_deleted, r.error", " ORDER BY r.run_id DESC LIMIT ? OFFSET ?", limit, offset);
  }

  /** How many runs the filter keeps. */
  public Query count(RunFilter f) {
    return where(f, "SELECT count(*)", "");
  }
}
