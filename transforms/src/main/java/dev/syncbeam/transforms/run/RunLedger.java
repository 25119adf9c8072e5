package dev.syncbeam.transforms.run;

import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.schemas.bookkeeping.SeenKeysTable;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.notify.SyncCompleteEvent;
import dev.syncbeam.transforms.notify.SyncPausedEvent;
import dev.syncbeam.transforms.notify.WebhookOutbox;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * All reads and writes of the sync-state and sync-runs tables, in the caller's transaction. Every
 * statement is scoped by application, provider, customer and object; the SQL itself lives in
 * {@link SyncStateTable} and {@link SyncRunsTable}. With webhook events on, every statement that
 * ends a run or pauses a sync also records its event in the outbox, in the same transaction.
 */
public final class RunLedger {
  /** What a run that nothing runs any more is recorded as, by whoever finds it. */
  public static final String ABANDONED = "abandoned: the process running it stopped";

  private final SyncStateTable state;
  private final SyncRunsTable runs;
  private final SeenKeysTable seenKeys;
  /** Null when no webhook is configured: then no events are recorded. */
  private final WebhookOutbox outbox;

  /** Without webhook events, for callers that end no runs and pause nothing. */
  public RunLedger(String schema) {
    this(schema, false);
  }

  public RunLedger(String schema, boolean webhookEvents) {
    this.state = new SyncStateTable(schema);
    this.runs = new SyncRunsTable(schema);
    this.seenKeys = new SeenKeysTable(schema);
    this.outbox = webhookEvents ? new WebhookOutbox(schema) : null;
  }

  /** The ledger of a destination, recording webhook events when the destination says so. */
  public static RunLedger of(PostgresDestination destination) {
    return new RunLedger(destination.schema(), destination.webhookEvents());
  }

  private static int bindKey(PreparedStatement ps, int from, SyncKey key) throws SQLException {
    ps.setString(from, key.applicationId());
    ps.setString(from + 1, key.provider());
    ps.setString(from + 2, key.customerId());
    ps.setString(from + 3, key.object());
    return from + 4;
  }

  /** Creates the sync's state row on first sight and records its configured strategy and object type. */
  public SyncState ensureState(Connection c, SyncKey key, String strategy, ObjectType objectType) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.ensure())) {
      int i = bindKey(ps, 1, key);
      ps.setString(i, strategy);
      ps.setString(i + 1, objectType.value());
      ps.executeUpdate();
    }
    return load(c, key);
  }

  public SyncState load(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.load())) {
      bindKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        return new SyncState(rs.getString(1), rs.getString(2), Timestamps.read(rs, 3), rs.getBoolean(4),
            rs.getString(5), rs.getBoolean(6), rs.getInt(7), Timestamps.read(rs, 8));
      }
    }
  }

  public void requestFullRefresh(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.requestFullRefresh())) {
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

  /**
   * Pauses a sync (its credentials were refused, or a user asked): later runs skip it until someone
   * resumes it. Sends {@code sync.paused} with the reason. Pausing a paused sync changes nothing and
   * sends nothing; returns whether this call paused it.
   */
  public boolean pause(Connection c, SyncKey key, String reason) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.pause())) {
      ps.setString(1, reason);
      Timestamps.bind(ps, 2, Instant.now());
      bindKey(ps, 3, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return false;
        if (outbox != null) outbox.enqueue(c, SyncPausedEvent.of(key, ObjectType.of(rs.getString(1)), reason));
        return true;
      }
    }
  }

  public void resume(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.resume())) {
      Timestamps.bind(ps, 1, Instant.now());
      bindKey(ps, 2, key);
      ps.executeUpdate();
    }
  }

  /** Records a new IN_PROGRESS run and returns its id. The caller holds the sync's lock. */
  public long openRun(Connection c, SyncKey key, RunMode mode, Instant emittedAt) throws SQLException {
    long runId;
    try (PreparedStatement ps = c.prepareStatement(runs.open())) {
      int i = bindKey(ps, 1, key);
      ps.setString(i, mode.label);
      ps.setString(i + 1, RunStatus.IN_PROGRESS.name());
      Timestamps.bind(ps, i + 2, Instant.now());
      Timestamps.bind(ps, i + 3, emittedAt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        runId = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(state.stampEmittedAt())) {
      Timestamps.bind(ps, 1, emittedAt);
      Timestamps.bind(ps, 2, Instant.now());
      bindKey(ps, 3, key);
      ps.executeUpdate();
    }
    return runId;
  }

  /**
   * Locks the run's row for the rest of the transaction and returns its status. Whoever ends a run
   * does this first, so a run recorded as stopped or abandoned is never also swept and succeeded.
   */
  public RunStatus lockForEnd(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(runs.lockForEnd())) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new SQLException("run " + runId + " is not in " + runs.qualifiedName());
        return RunStatus.valueOf(rs.getString(1));
      }
    }
  }

  /**
   * Marks the run successful and moves the sync's state on: the watermark (to {@code watermark},
   * never backwards; null keeps it), the phase and the full-refresh bookkeeping.
   */
  public void recordSuccess(Connection c, PlannedSync sync, RunCounts counts, long deleted, Instant watermark, String notes)
      throws SQLException {
    boolean full = sync.mode() == RunMode.FULL;
    try (PreparedStatement ps = c.prepareStatement(state.advance())) {
      Timestamps.bind(ps, 1, watermark);
      Timestamps.bind(ps, 2, watermark);
      ps.setBoolean(3, full);
      ps.setBoolean(4, full);
      ps.setBoolean(5, full);
      Timestamps.bind(ps, 6, Instant.now());
      bindKey(ps, 7, sync.key());
      ps.executeUpdate();
    }
    end(c, sync.runId(), RunStatus.SUCCESS, counts, deleted, null, notes);
  }

  /** Marks the run failed; the sync's state (watermark, phase, a requested full refresh) is left as it was. */
  public void recordFailure(Connection c, long runId, RunCounts counts, String error) throws SQLException {
    end(c, runId, RunStatus.FAILURE, counts, 0, error, null);
  }

  private void end(Connection c, long runId, RunStatus status, RunCounts counts, long deleted, String error, String notes)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(runs.end())) {
      ps.setString(1, status.name());
      Timestamps.bind(ps, 2, Instant.now());
      ps.setLong(3, counts.read());
      ps.setLong(4, counts.written());
      ps.setLong(5, deleted);
      ps.setLong(6, counts.skipped());
      ps.setLong(7, counts.deadLetters());
      ps.setLong(8, counts.coerced());
      ps.setString(9, error);
      ps.setString(10, notes);
      if (counts.apiRequests() > 0) {
        ps.setLong(11, counts.apiRequests());
        ps.setLong(12, counts.apiBytes());
      } else { // read from extract files: no API was asked
        ps.setNull(11, Types.BIGINT);
        ps.setNull(12, Types.BIGINT);
      }
      ps.setLong(13, runId);
      ps.setString(14, RunStatus.IN_PROGRESS.name());
      ended(c, ps);
    }
  }

  /** Runs the statement that ends runs; records {@code sync.complete} for each run it ended and returns their ids. */
  private List<Long> ended(Connection c, PreparedStatement endsRuns) throws SQLException {
    List<SyncCompleteEvent> events = new ArrayList<>();
    try (ResultSet rs = endsRuns.executeQuery()) {
      while (rs.next()) {
        SyncKey key = new SyncKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        events.add(new SyncCompleteEvent(rs.getLong(1), key, ObjectType.of(rs.getString(10)), RunStatus.valueOf(rs.getString(6)),
            rs.getLong(7), rs.getLong(8), rs.getString(9)));
      }
    }
    if (outbox != null) {
      for (SyncCompleteEvent e : events) outbox.enqueue(c, e);
    }
    List<Long> ids = events.stream().map(SyncCompleteEvent::run).toList();
    forgetSeenKeys(c, ids);
    return ids;
  }

  /** An ended run's seen ids are of no further use: its sweep, if any, ran in this transaction. */
  private void forgetSeenKeys(Connection c, Collection<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(seenKeys.forgetRuns())) {
      ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** Ends, as failures with {@code error}, those of the runs that are still in progress. */
  public int failUnfinished(Connection c, Collection<Long> runIds, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(runs.failUnfinished())) {
      ps.setString(1, RunStatus.FAILURE.name());
      Timestamps.bind(ps, 2, Instant.now());
      ps.setString(3, error);
      ps.setArray(4, c.createArrayOf("bigint", runIds.toArray()));
      ps.setString(5, RunStatus.IN_PROGRESS.name());
      return ended(c, ps).size();
    }
  }

  /**
   * Ends every run of the sync still in progress as abandoned. Only for a caller that holds the
   * sync's lock: then no process can be running them.
   */
  public List<Long> failAbandoned(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(runs.failInProgressOfSync())) {
      ps.setString(1, RunStatus.FAILURE.name());
      Timestamps.bind(ps, 2, Instant.now());
      ps.setString(3, ABANDONED);
      int i = bindKey(ps, 4, key);
      ps.setString(i, RunStatus.IN_PROGRESS.name());
      return ended(c, ps);
    }
  }

  /** A run in progress: its id and when it started. */
  public record RunningRun(SyncKey key, long runId, Instant startedAt) {}

  /** Every run recorded as in progress, oldest first (none where SyncBeam never ran). */
  public List<RunningRun> inProgress(Connection c) throws SQLException {
    List<RunningRun> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(runs.exists()); ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (!rs.getBoolean(1)) return out;
    }
    try (PreparedStatement ps = c.prepareStatement(runs.inProgress())) {
      ps.setString(1, RunStatus.IN_PROGRESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RunningRun(new SyncKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
              rs.getLong(5), Timestamps.read(rs, 6)));
        }
      }
    }
    return out;
  }

  /** The oldest run of the sync recorded as in progress, or null. */
  public RunningRun inProgress(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(runs.inProgressOfSync())) {
      int i = bindKey(ps, 1, key);
      ps.setString(i, RunStatus.IN_PROGRESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new RunningRun(key, rs.getLong(1), Timestamps.read(rs, 2)) : null;
      }
    }
  }

  /** The sync's latest run: when it started, and how many of its latest runs failed in a row. */
  public record LatestRuns(Instant lastStart, int failuresInARow) {}

  public LatestRuns latest(Connection c, SyncKey key) throws SQLException {
    Instant lastStart = null;
    try (PreparedStatement ps = c.prepareStatement(runs.latestOfSync())) {
      bindKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) lastStart = Timestamps.read(rs, 1);
      }
    }
    int failures = 0;
    try (PreparedStatement ps = c.prepareStatement(runs.latestStatusesOfSync())) {
      bindKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && RunStatus.FAILURE.name().equals(rs.getString(1))) failures++;
      }
    }
    return new LatestRuns(lastStart, failures);
  }

  /** Whether none of the runs is still in progress. */
  public boolean noneInProgress(Connection c, Collection<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) return true;
    try (PreparedStatement ps = c.prepareStatement(runs.countWithStatus())) {
      ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
      ps.setString(2, RunStatus.IN_PROGRESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    }
  }

  /** Whether every one of the runs succeeded. */
  public boolean allSucceeded(Connection c, Collection<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) return true;
    try (PreparedStatement ps = c.prepareStatement(runs.countNotSucceeded())) {
      ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
      ps.setString(2, RunStatus.SUCCESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    }
  }
}
