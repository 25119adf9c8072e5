package dev.syncbeam.transforms.run;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.SyncbeamTables;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/**
 * All reads and writes of the sync-state and sync-runs tables. Every statement is scoped by
 * application, provider, customer and object.
 */
public final class RunLedger {
  public static final String IN_PROGRESS = "IN_PROGRESS";
  public static final String SUCCESS = "SUCCESS";
  public static final String FAILURE = "FAILURE";

  private final String state;
  private final String runs;

  public RunLedger(String schema) {
    this.state = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_STATE);
    this.runs = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_RUNS);
  }

  private static final String KEY = "application_id = ? AND provider_name = ? AND customer_id = ? AND object_name = ?";

  private static int bindKey(PreparedStatement ps, int from, SyncKey key) throws SQLException {
    ps.setString(from, key.applicationId());
    ps.setString(from + 1, key.provider());
    ps.setString(from + 2, key.customerId());
    ps.setString(from + 3, key.object());
    return from + 4;
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.valueOf(Timestamps.utc(i));
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
  }

  /** Creates the sync's state row on first sight and records its configured strategy. */
  public SyncState ensureState(Connection c, SyncKey key, String strategy) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + state
        + " (application_id, provider_name, customer_id, object_name, strategy) VALUES (?, ?, ?, ?, ?)"
        + " ON CONFLICT (application_id, provider_name, customer_id, object_name) DO UPDATE SET strategy = EXCLUDED.strategy")) {
      ps.setString(bindKey(ps, 1, key), strategy);
      ps.executeUpdate();
    }
    return load(c, key);
  }

  public SyncState load(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT strategy, phase, watermark, paused, paused_reason, force_full,"
        + " incrementals_since_full, last_emitted_at FROM " + state + " WHERE " + KEY)) {
      bindKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        return new SyncState(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getBoolean(4),
            rs.getString(5), rs.getBoolean(6), rs.getInt(7), instant(rs.getTimestamp(8)));
      }
    }
  }

  public void requestFullRefresh(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + state + " SET force_full = true WHERE " + KEY)) {
      bindKey(ps, 1, key);
      ps.executeUpdate();
    }
  }

  /**
   * The emitted-at stamp of a new run: now, to the millisecond, and always later than the sync's
   * previous run, since the sweep tells seen rows from unseen ones by it.
   */
  public static Instant nextEmittedAt(SyncState s, Instant now) {
    Instant t = now.truncatedTo(ChronoUnit.MILLIS);
    if (s != null && s.lastEmittedAt() != null && !t.isAfter(s.lastEmittedAt())) t = s.lastEmittedAt().plusMillis(1);
    return t;
  }

  /** Pauses a sync (its credentials were refused): later runs skip it until someone resumes it. */
  public void pause(Connection c, SyncKey key, String reason) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + state + " SET paused = true, paused_reason = ?, updated_at = ? WHERE " + KEY)) {
      ps.setString(1, reason);
      ps.setTimestamp(2, ts(Instant.now()));
      bindKey(ps, 3, key);
      ps.executeUpdate();
    }
  }

  public void resume(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + state + " SET paused = false, paused_reason = NULL, updated_at = ? WHERE " + KEY)) {
      ps.setTimestamp(1, ts(Instant.now()));
      bindKey(ps, 2, key);
      ps.executeUpdate();
    }
  }

  /** Records a new IN_PROGRESS run and returns its id. */
  public long openRun(Connection c, SyncKey key, RunMode mode, Instant emittedAt) throws SQLException {
    long runId;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + runs
        + " (application_id, provider_name, customer_id, object_name, strategy, status, started_at, emitted_at)"
        + " VALUES (?, ?, ?, ?, ?, '" + IN_PROGRESS + "', ?, ?) RETURNING run_id")) {
      int i = bindKey(ps, 1, key);
      ps.setString(i, mode.label);
      ps.setTimestamp(i + 1, ts(Instant.now()));
      ps.setTimestamp(i + 2, ts(emittedAt));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        runId = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + state + " SET last_emitted_at = ?, updated_at = ? WHERE " + KEY)) {
      ps.setTimestamp(1, ts(emittedAt));
      ps.setTimestamp(2, ts(Instant.now()));
      bindKey(ps, 3, key);
      ps.executeUpdate();
    }
    return runId;
  }

  /** Marks the run successful and moves the sync's state on: watermark, phase, full-refresh bookkeeping. */
  public void recordSuccess(Connection c, PlannedSync sync, RunCounts counts, long deleted, String notes) throws SQLException {
    Instant maxWritten = counts.maxLastModifiedMillis() == RunCounts.NO_TIMESTAMP ? null
        : Instant.ofEpochMilli(counts.maxLastModifiedMillis());
    boolean full = sync.mode() == RunMode.FULL;
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + state + " SET"
        + " watermark = CASE WHEN ?::timestamp IS NULL THEN watermark ELSE GREATEST(watermark, ?::timestamp) END,"
        + " phase = CASE WHEN ? THEN 'incremental' ELSE phase END,"
        + " force_full = CASE WHEN ? THEN false ELSE force_full END,"
        + " incrementals_since_full = CASE WHEN ? THEN 0 ELSE incrementals_since_full + 1 END,"
        + " updated_at = ? WHERE " + KEY)) {
      ps.setTimestamp(1, ts(maxWritten));
      ps.setTimestamp(2, ts(maxWritten));
      ps.setBoolean(3, full);
      ps.setBoolean(4, full);
      ps.setBoolean(5, full);
      ps.setTimestamp(6, ts(Instant.now()));
      bindKey(ps, 7, sync.key());
      ps.executeUpdate();
    }
    finishRun(c, sync.runId(), SUCCESS, counts, deleted, notes);
  }

  /** Marks the run failed; the sync's state (watermark, phase) is left as it was. */
  public void recordFailure(Connection c, long runId, RunCounts counts, String error) throws SQLException {
    finishRun(c, runId, FAILURE, counts, 0, error);
  }

  private void finishRun(Connection c, long runId, String status, RunCounts counts, long deleted, String message) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + runs + " r SET status = ?, ended_at = ?, records_read = ?,"
        + " records_written = ?, records_deleted = ?, records_skipped = ?, dead_letters = ?, coerced = ?, error = ?, notes = ?,"
        + " watermark_after = (SELECT s.watermark FROM " + state + " s WHERE s.application_id = r.application_id"
        + " AND s.provider_name = r.provider_name AND s.customer_id = r.customer_id AND s.object_name = r.object_name)"
        + " WHERE r.run_id = ?")) {
      ps.setString(1, status);
      ps.setTimestamp(2, ts(Instant.now()));
      ps.setLong(3, counts.read());
      ps.setLong(4, counts.written());
      ps.setLong(5, deleted);
      ps.setLong(6, counts.skipped());
      ps.setLong(7, counts.deadLetters());
      ps.setLong(8, counts.coerced());
      ps.setString(9, FAILURE.equals(status) ? message : null);
      ps.setString(10, FAILURE.equals(status) ? null : message);
      ps.setLong(11, runId);
      ps.executeUpdate();
    }
  }

  /** After a pipeline failure: every run of it that did not finish is a failure, with the pipeline's error. */
  public int failUnfinished(Connection c, Collection<Long> runIds, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + runs + " SET status = '" + FAILURE + "', ended_at = ?, error = ?"
        + " WHERE run_id = ANY(?) AND status = '" + IN_PROGRESS + "'")) {
      ps.setTimestamp(1, ts(Instant.now()));
      ps.setString(2, error);
      ps.setArray(3, c.createArrayOf("bigint", runIds.toArray()));
      return ps.executeUpdate();
    }
  }
}
