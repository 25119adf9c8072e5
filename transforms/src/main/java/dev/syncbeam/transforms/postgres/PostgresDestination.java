package dev.syncbeam.transforms.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * The destination database and schema, configured by value so it serializes to any runner.
 * Connections it opens are tuned for bulk merges.
 */
public final class PostgresDestination implements Serializable {
  private final JdbcIO.DataSourceConfiguration dataSource;
  private final String schema;

  private PostgresDestination(JdbcIO.DataSourceConfiguration dataSource, String schema) {
    this.dataSource = dataSource;
    this.schema = schema;
  }

  public static PostgresDestination of(String jdbcUrl, String user, String password, String schema) {
    JdbcIO.DataSourceConfiguration cfg = JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", jdbcUrl);
    if (user != null) cfg = cfg.withUsername(user);
    if (password != null) cfg = cfg.withPassword(password);
    return new PostgresDestination(cfg, schema);
  }

  public JdbcIO.DataSourceConfiguration dataSourceConfiguration() {
    return dataSource;
  }

  public String schema() {
    return schema;
  }

  /** A connection for bookkeeping: autocommit off, durable commits. */
  public Connection open() throws SQLException {
    DataSource ds = dataSource.buildDatasource();
    Connection c = ds.getConnection();
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
