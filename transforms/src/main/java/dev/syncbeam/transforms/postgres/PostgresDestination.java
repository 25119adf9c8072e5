package dev.syncbeam.transforms.postgres;

import java.io.Serializable;
import java.sql.Connection;
import dev.syncbeam.transforms.model.SecretText;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * The destination database and schema, configured by value (immutable, {@code withX} to change) so
 * it serializes to any runner. Every connection it opens waits at most {@link #lockTimeout()} for a
 * lock, so a table someone else holds fails the run with a message instead of hanging it.
 */
public final class PostgresDestination implements Serializable {
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECONNECT_WINDOW = Duration.ofMinutes(2);
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  private final String schema;
  private final String url;
  private final String user;
  private final String password;
  private final Duration lockTimeout;
  private final Duration reconnectWindow;
  private final boolean webhookEvents;
  private final int maxConnections;

  private PostgresDestination(String schema, String url, String user, String password, Duration lockTimeout,
      Duration reconnectWindow, boolean webhookEvents, int maxConnections) {
    this.schema = schema;
    this.url = url;
    this.user = user;
    this.password = password;
    this.lockTimeout = lockTimeout;
    this.reconnectWindow = reconnectWindow;
    this.webhookEvents = webhookEvents;
    this.maxConnections = maxConnections;
  }

  public static PostgresDestination of(String jdbcUrl, String user, String password, String schema) {
    return new PostgresDestination(schema, jdbcUrl, user, password, DEFAULT_LOCK_TIMEOUT, DEFAULT_RECONNECT_WINDOW, false,
        DEFAULT_MAX_CONNECTIONS);
  }

  /** How long a statement may wait for a lock held by someone else before the run fails. */
  public PostgresDestination withLockTimeout(Duration timeout) {
    return new PostgresDestination(schema, url, user, password, timeout, reconnectWindow, webhookEvents, maxConnections);
  }

  /** How long writers keep reconnecting to a destination that went away before the run fails. */
  public PostgresDestination withReconnectWindow(Duration window) {
    return new PostgresDestination(schema, url, user, password, lockTimeout, window, webhookEvents, maxConnections);
  }

  /**
   * Whether ending a run or pausing a sync here also records a webhook event in the outbox, in the
   * same transaction (on when the config has a webhook). It travels with the destination because
   * runs end on workers too.
   */
  public PostgresDestination withWebhookEvents(boolean on) {
    return new PostgresDestination(schema, url, user, password, lockTimeout, reconnectWindow, on, maxConnections);
  }

  /**
   * How many connections the workers of one JVM hold open here at once, for the sink's batches and
   * again for the runs' bookkeeping; sessions beyond that wait their turn for one.
   */
  public PostgresDestination withMaxConnections(int max) {
    if (max < 1) throw new IllegalArgumentException("a destination needs at least one connection, not " + max);
    return new PostgresDestination(schema, url, user, password, lockTimeout, reconnectWindow, webhookEvents, max);
  }

  public int maxConnections() {
    return maxConnections;
  }

  public boolean webhookEvents() {
    return webhookEvents;
  }

  /** For Beam's own JDBC transforms (the benchmark's baseline). */
  public JdbcIO.DataSourceConfiguration dataSourceConfiguration() {
    JdbcIO.DataSourceConfiguration cfg = JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", url);
    if (user != null) cfg = cfg.withUsername(user);
    if (password != null) cfg = cfg.withPassword(SecretText.resolve(password));
    return cfg;
  }

  public String url() {
    return url;
  }

  /** The role connections log in as (null: the driver's default). */
  public String user() {
    return user;
  }

  public String schema() {
    return schema;
  }

  public Duration lockTimeout() {
    return lockTimeout;
  }

  public Duration reconnectWindow() {
    return reconnectWindow;
  }

  /**
   * A connection of its own (autocommit off, durable commits), closed for real when the caller
   * closes it. Not from {@code buildDatasource()}: that makes a pool per call, and connections
   * "closed" into pools nobody closes would sit idle in the user's database.
   */
  public Connection open() throws SQLException {
    Properties props = new Properties();
    if (user != null) props.setProperty("user", user);
    if (password != null) props.setProperty("password", SecretText.resolve(password));
    props.setProperty("ApplicationName", "syncbeam");
    Connection c = DriverManager.getConnection(url, props);
    try (Statement st = c.createStatement()) {
      st.execute("SET lock_timeout = " + lockTimeout.toMillis());
    }
    c.setAutoCommit(false);
    return c;
  }

  /**
   * A connection for the sink's batches. Their commits need not wait for the WAL flush: the run's
   * final commit (sweep and watermark) is synchronous and so makes every earlier batch durable first.
   */
  public Connection openForBulkWrites() throws SQLException {
    Connection c = open();
    try (Statement st = c.createStatement()) {
      st.execute("SET synchronous_commit = off");
      st.execute("SET temp_buffers = '64MB'"); // staging tables stay in memory
    }
    c.commit();
    return c;
  }
}
