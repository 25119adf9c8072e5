package dev.syncbeam.transforms.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the destination that rides out outages: a unit of work runs in a transaction,
 * and when the connection is lost (a restart, a failover) or PostgreSQL rolls it back for a deadlock
 * or a serialization failure, the session reconnects and replays it with capped exponential backoff
 * for up to the destination's reconnect window. Work must therefore be idempotent, as the merge,
 * the dead-letter insert and the guarded end of a run are.
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
  private Connection conn;

  private DestinationSession(PostgresDestination destination, boolean bulk) {
    this.destination = destination;
    this.bulk = bulk;
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
      try {
        Connection c = connection();
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | IOException e) {
        SqlFailure kind = SqlFailure.of(e);
        rollbackQuietly();
        if (kind == SqlFailure.CONNECTION_LOST) closeQuietly();
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

  private Connection connection() throws SQLException {
    if (conn == null || conn.isClosed()) conn = bulk ? destination.openForBulkWrites() : destination.open();
    return conn;
  }

  private void rollbackQuietly() {
    try {
      if (conn != null && !conn.isClosed()) conn.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the next attempt replaces it
    }
  }

  private void closeQuietly() {
    try {
      if (conn != null) conn.close();
    } catch (SQLException ignored) {
      // already closed by the server
    }
    conn = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
