package dev.syncbeam.transforms.run;

import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-sync session advisory locks, in the destination database, that say "this process is
 * running that sync". One session holds all of a process's locks; when the process dies, however it
 * dies, PostgreSQL ends the session and the locks go with it. That is how a run left IN_PROGRESS by a
 * killed process is told from one still running on another machine: nobody holds its lock.
 */
public final class SyncLocks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLocks.class);
  private static final long KEEPALIVE_SECONDS = 10;

  private final PostgresDestination destination;
  private final SyncStateTable names;
  private final Set<SyncKey> held = new LinkedHashSet<>();
  private final ScheduledExecutorService keepalive;
  private final String holderName;
  private Connection session;

  public SyncLocks(PostgresDestination destination) {
    this(destination, null);
  }

  /**
   * Locks whose session carries {@code holderName} as its application_name, so others can tell
   * who holds a sync ({@link #holder}): a stream says it is one.
   */
  public SyncLocks(PostgresDestination destination, String holderName) {
    this.destination = destination;
    this.holderName = holderName;
    this.names = new SyncStateTable(destination.schema());
    this.keepalive = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "syncbeam-lock-keepalive");
      t.setDaemon(true);
      return t;
    });
    keepalive.scheduleWithFixedDelay(this::keepAlive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
  }

  /** Takes the sync's lock if no other session holds it; true when this process now holds it. */
  public synchronized boolean tryAcquire(SyncKey key) throws SQLException {
    if (held.contains(key)) return true;
    if (tryLock(session(), key)) {
      held.add(key);
      return true;
    }
    return false;
  }

  public synchronized void release(SyncKey key) throws SQLException {
    if (!held.remove(key) || session == null) return;
    try (PreparedStatement ps = session.prepareStatement(SyncStateTable.unlock())) {
      ps.setString(1, lockName(key));
      ps.execute();
    }
  }

  private boolean tryLock(Connection c, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SyncStateTable.tryLock())) {
      ps.setString(1, lockName(key));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private String lockName(SyncKey key) {
    return names.lockName(key.applicationId(), key.provider(), key.customerId(), key.object());
  }

  private Connection session() throws SQLException {
    if (session != null && !session.isClosed()) return session;
    Connection c = destination.open();
    try {
      c.setAutoCommit(true); // session locks outlive transactions; nothing here is transactional
      if (holderName != null) {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
          ps.setString(1, holderName);
          ps.execute();
        }
      }
      if (!held.isEmpty()) retake(c);
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    session = c;
    return session;
  }

  /**
   * A new session holds none of the locks the lost one held (a database restart ends sessions):
   * take them again, and let go of those another process took meanwhile, so this one stops running them.
   */
  private void retake(Connection c) throws SQLException {
    for (Iterator<SyncKey> it = held.iterator(); it.hasNext(); ) {
      SyncKey key = it.next();
      if (tryLock(c, key)) continue;
      it.remove();
      LOG.warn("{}: lost its lock while the destination session was down and another process holds it now", key.label());
    }
    LOG.warn("the destination session holding sync locks was lost; reconnected and took {} lock(s) again", held.size());
  }

  /** Finds a session the database ended (a restart, a failover) and takes the locks again on a new one. */
  private synchronized void keepAlive() {
    if (held.isEmpty()) return;
    if (session != null) {
      try (Statement st = session.createStatement()) {
        st.execute("SELECT 1");
        return;
      } catch (SQLException lost) {
        closeSession();
      }
    }
    try {
      session();
    } catch (SQLException stillDown) {
      closeSession(); // try again at the next beat
    }
  }

  private void closeSession() {
    try {
      if (session != null) session.close();
    } catch (SQLException ignored) {
      // already gone
    }
    session = null;
  }

  /** The application_name of whoever holds the sync's lock ("" for a session without one), or null when nobody does. */
  public static String holder(Connection c, String schema, SyncKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SyncStateTable.lockHolder())) {
      ps.setString(1, new SyncStateTable(schema).lockName(key.applicationId(), key.provider(), key.customerId(), key.object()));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? String.valueOf(rs.getString(1)) : null;
      }
    }
  }

  /** Blocks until the sync's lock is free and takes it (for {@code sync --wait}). */
  public void acquire(SyncKey key) throws SQLException, InterruptedException {
    while (!tryAcquire(key)) Thread.sleep(500);
  }

  /** Releases every lock this process holds. */
  @Override
  public synchronized void close() {
    keepalive.shutdownNow();
    if (!held.isEmpty() && session != null) {
      // the next run of these syncs, in this process or another, must find them free at once
      try (Statement st = session.createStatement()) {
        st.execute(SyncStateTable.unlockAll());
      } catch (SQLException gone) {
        // the session is gone, and its locks with it
      }
    }
    held.clear();
    closeSession();
  }

  /**
   * For commands that only look (status, check): every run recorded IN_PROGRESS whose sync's lock
   * nobody holds is ended as abandoned. Returns the ids of the runs it ended.
   */
  public static List<Long> recoverAbandoned(PostgresDestination destination) throws SQLException {
    RunLedger ledger = RunLedger.of(destination);
    List<Long> ended = new ArrayList<>();
    try (SyncLocks probe = new SyncLocks(destination); Connection c = destination.open()) {
      Set<SyncKey> seen = new LinkedHashSet<>();
      for (RunLedger.RunningRun run : ledger.inProgress(c)) {
        if (!seen.add(run.key()) || !probe.tryAcquire(run.key())) continue;
        try {
          ended.addAll(ledger.failAbandoned(c, run.key()));
          c.commit();
        } finally {
          probe.release(run.key());
        }
      }
    }
    return ended;
  }
}
