package dev.syncbeam.sandbox;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded server per test JVM, started on first use and stopped at exit; each test class takes
 * its own database from it, so classes never see each other's rows.
 */
public final class SharedTestPostgres {
  private static EmbeddedPostgresServer server;
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private SharedTestPostgres() {}

  public static synchronized EmbeddedPostgresServer server() {
    if (server == null) {
      server = EmbeddedPostgresServer.startTemporary();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
    }
    return server;
  }

  /** A fresh, empty database; returns its JDBC URL (superuser postgres/postgres). */
  public static String freshDatabase(String prefix) {
    try {
      return server().createDatabase(prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + COUNTER.incrementAndGet());
    } catch (SQLException e) {
      throw new IllegalStateException("could not create a test database: " + e.getMessage(), e);
    }
  }
}
