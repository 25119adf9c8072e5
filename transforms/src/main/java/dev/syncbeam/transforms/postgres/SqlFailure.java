package dev.syncbeam.transforms.postgres;

import java.sql.SQLException;

/** What a failed statement means for whoever retries it, by the SQLSTATE PostgreSQL reports. */
public enum SqlFailure {
  /** The connection is gone (server stopped, restarted, network): reconnect and replay. */
  CONNECTION_LOST,
  /** A deadlock or serialization failure: PostgreSQL rolled back one party; replaying it succeeds. */
  TRANSIENT,
  /** Waiting for a lock took longer than {@code lock_timeout}: someone else holds the table. */
  LOCK_TIMEOUT,
  /** A value the column or a constraint refuses (class 22 or 23): replaying cannot help, isolating the row can. */
  DATA,
  /** Anything else: a bug, a missing privilege, a dropped table. */
  OTHER;

  public static SqlFailure of(Throwable e) {
    String state = sqlState(e);
    if (state == null) return e instanceof SQLException ? OTHER : CONNECTION_LOST; // an I/O error on the socket
    if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return CONNECTION_LOST;
    if (state.equals("40P01") || state.equals("40001")) return TRANSIENT;
    if (state.equals("55P03")) return LOCK_TIMEOUT;
    if (state.startsWith("22") || state.startsWith("23")) return DATA;
    return OTHER;
  }

  public boolean retryable() {
    return this == CONNECTION_LOST || this == TRANSIENT;
  }

  /** The SQL state of the first SQLException in the chain (COPY failures come wrapped in IOExceptions). */
  public static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException se && se.getSQLState() != null) return se.getSQLState();
    }
    return null;
  }

  /** The first line of the first SQLException's message in the chain, else the throwable's own. */
  public static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) return t.getMessage().lines().findFirst().orElse("");
    }
    return String.valueOf(e.getMessage());
  }
}
