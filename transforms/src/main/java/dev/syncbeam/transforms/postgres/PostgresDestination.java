package dev.syncbeam.transforms.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.DriverManager;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * The destination database and schema, configured by value so it serializes to any runner.
 * Connections it opens are tuned for bulk merges.
 */
public final class PostgresDestination implements Serializable {
  private final JdbcIO.DataSourceConfiguration dataSource;
  private final String schema;
  private final String url;
  private final String user;
  private final String password;

  private PostgresDestination(JdbcIO.DataSourceConfiguration dataSource, String schema, String url, String user, String password) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public static PostgresDestination of(String jdbcUrl, String user, String password, String schema) {
    JdbcIO.DataSourceConfiguration cfg = JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", jdbcUrl);
    if (user != null) cfg = cfg.withUsername(user);
    if (password != null) cfg = cfg.withPassword(password);
    return new PostgresDestination(cfg, schema, jdbcUrl, user, password);
  }

  public JdbcIO.DataSourceConfiguration dataSourceConfiguration() {
    return dataSource;
  }

  public String schema() {
    return schema;
  }

  /**
   * A connection of its own (autocommit off, durable commits), closed for real when the caller
   * closes it. Not from {@code buildDatasource()}: that makes a pool per call, and connections
   * "closed" into pools nobody closes would sit idle in the user's database.
   */
  public Connection open() throws SQLException {
    java.util.Properties props = new java.util.Properties();
    if (user != null) props.setProperty("user", user);
    if (password != null) props.setProperty("password", password);
    props.setProperty("ApplicationName", "syncbeam");
    Connection c = DriverManager.getConnection(url, props);
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
