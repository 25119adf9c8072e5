package dev.syncbeam.transforms.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work against the destination that rides out outages: a unit of work runs in a transaction, and
 * when the connection is lost (a restart, a failover) or PostgreSQL rolls it back for a deadlock or
 * a serialization failure, the session reconnects and replays it with capped exponential backoff
 * for up to the destination's reconnect window. Work must therefore be idempotent, as the merge,
 * the dead-letter insert and the guarded end of a run are.
 *
 * <p>Each transaction borrows its connection from a pool every session of the same destination and
 * kind shares in this JVM, at most {@link PostgresDestination#maxConnections()} open at once: each
 * worker thread has its own instance of every DoFn, so connections held per session grew with the
 * threads (40 workers met PostgreSQL's default 100 connections). The pool closes its idle
 * connections when its last session closes, as each session closed its own before.
 */
public final class DestinationSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationSession.class);

  /** A unit of work in one transaction; the session commits it. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /** A failure the session did not retry (or stopped retrying), with what it was doing and why. */
  public static final class Failed extends SQLException {
    private final SqlFailure kind;

    Failed(String message, SqlFailure kind, Throwable cause) {
      super(message, SqlFailure.sqlState(cause), cause);
      this.kind = kind;
    }

    public SqlFailure kind() {
      return kind;
    }
  }

  private final PostgresDestination destination;
  private final boolean bulk;
  private final Pool pool;
  private boolean closed;

  private DestinationSession(PostgresDestination destination, boolean bulk) {
    this.destination = destination;
    this.bulk = bulk;
    this.pool = Pool.of(destination, bulk);
  }

  /** For bookkeeping: durable commits. */
  public static DestinationSession of(PostgresDestination destination) {
    return new DestinationSession(destination, false);
  }

  /** For the sink's batches ({@link PostgresDestination#openForBulkWrites()}). */
  public static DestinationSession forBulkWrites(PostgresDestination destination) {
    return new DestinationSession(destination, true);
  }

  /**
   * Runs {@code work} and commits it, retrying lost connections and transient rollbacks.
   *
   * @param what says what the work does, for messages ("writing 10,000 rows to supaglue.hubspot_contacts")
   * @throws Failed naming {@code what} when the work fails for good
   */
  public <T> T inTransaction(String what, Work<T> work) throws Failed {
    BackOff backoff = retryBackoff();
    long started = System.nanoTime();
    int attempt = 0;
    while (true) {
      attempt++;
      Connection c = null;
      try {
        c = pool.take(destination.maxConnections(), this::open);
        T result = work.run(c);
        c.commit();
        pool.give(c);
        c = null;
        return result;
      } catch (SQLException | IOException e) {
        SqlFailure kind = SqlFailure.of(e);
        if (c != null) {
          pool.giveBack(c, kind != SqlFailure.CONNECTION_LOST);
          c = null;
        }
        if (!kind.retryable()) throw new Failed(what + " failed: " + describe(kind, e), kind, e);
        long waitedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        boolean again;
        try {
          again = BackOffUtils.next(Sleeper.DEFAULT, backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new Failed(what + " failed: interrupted while waiting to retry (" + SqlFailure.message(e) + ")", kind, e);
        }
        if (!again) {
          throw new Failed(what + " failed: " + describe(kind, e) + "; gave up after " + attempt + " attempts in "
              + waitedSeconds + " s (reconnect window " + destination.reconnectWindow().getSeconds() + " s)", kind, e);
        }
        LOG.warn("{}: {} (attempt {}); retrying", what, describe(kind, e), attempt);
      } finally {
        // work that threw something else still gives its connection back, or the pool would shrink
        if (c != null) pool.giveBack(c, true);
      }
    }
  }

  private BackOff retryBackoff() {
    return FluentBackoff.DEFAULT
        .withInitialBackoff(Duration.millis(250))
        .withMaxBackoff(Duration.standardSeconds(10))
        .withMaxCumulativeBackoff(Duration.millis(destination.reconnectWindow().toMillis()))
        .withMaxRetries(Integer.MAX_VALUE)
        .backoff();
  }

  private String describe(SqlFailure kind, Throwable e) {
    return switch (kind) {
      case CONNECTION_LOST -> "lost the connection to the destination (" + SqlFailure.message(e) + ")";
      case TRANSIENT -> "rolled back by PostgreSQL (" + SqlFailure.message(e) + ")";
      case LOCK_TIMEOUT -> "a table is locked by another session and the lock was not granted within lock_timeout ("
          + destination.lockTimeout().getSeconds() + " s): " + SqlFailure.message(e);
      default -> SqlFailure.message(e);
    };
  }

  private Connection open() throws SQLException {
    return bulk ? destination.openForBulkWrites() : destination.open();
  }

  private static boolean rolledBack(Connection c) {
    try {
      c.rollback();
      return true;
    } catch (SQLException gone) {
      return false; // the connection is gone; the next attempt opens another
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already closed by the server
    }
  }

  /** The connections of one destination and kind in this JVM. */
  private static final class Pool {
    private static final Map<String, Pool> POOLS = new HashMap<>();

    private final String key;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private int open; // idle and lent out
    private int sessions;

    private Pool(String key) {
      this.key = key;
    }

    /** The role and the lock timeout are set when a connection opens, so they are part of what a pool's connections are. */
    static Pool of(PostgresDestination d, boolean bulk) {
      String key = d.url() + '\u0001' + d.user() + '\u0001' + d.lockTimeout().toMillis() + '\u0001' + bulk;
      synchronized (POOLS) {
        Pool p = POOLS.computeIfAbsent(key, Pool::new);
        synchronized (p) {
          p.sessions++;
        }
        return p;
      }
    }

    /** An idle connection, or a new one while fewer than {@code max} are open; otherwise waits for one. */
    Connection take(int max, Opener opener) throws SQLException {
      synchronized (this) {
        while (idle.isEmpty() && open >= max) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection to the destination", e);
          }
        }
        if (!idle.isEmpty()) return idle.pop();
        open++; // the slot is ours; connecting happens outside the lock, it may take long
      }
      try {
        return opener.open();
      } catch (SQLException | RuntimeException e) {
        synchronized (this) {
          open--;
          notifyAll();
        }
        throw e;
      }
    }

    synchronized void give(Connection c) {
      idle.push(c);
      notifyAll();
    }

    /** After failed work: kept for the next transaction if it may still work and rolls back, else closed. */
    void giveBack(Connection c, boolean mayStillWork) {
      if (mayStillWork && rolledBack(c)) {
        give(c);
      } else {
        discard(c);
      }
    }

    void discard(Connection c) {
      closeQuietly(c);
      synchronized (this) {
        open--;
        notifyAll();
      }
    }

    void sessionClosed() {
      List<Connection> closing = new ArrayList<>();
      synchronized (POOLS) {
        synchronized (this) {
          if (--sessions > 0) return;
          closing.addAll(idle);
          open -= idle.size();
          idle.clear();
          if (open == 0) POOLS.remove(key);
        }
      }
      closing.forEach(DestinationSession::closeQuietly);
    }
  }

  @FunctionalInterface
  private interface Opener {
    Connection open() throws SQLException;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    pool.sessionClosed();
  }
}
