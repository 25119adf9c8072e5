package dev.syncbeam.pipelines;

import dev.syncbeam.sandbox.EmbeddedPostgresServer;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL of a test's own that can be stopped and started again on the same data and
 * port: a restart or failover, as a client sees one.
 */
final class RestartablePostgres implements AutoCloseable {
  private final Path data;
  private final int port;
  private EmbeddedPostgresServer server;
  private boolean running;

  RestartablePostgres(Path data) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    this.data = data;
    start();
  }

  PostgresDestination destination() {
    return PostgresDestination.of(server.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER, EmbeddedPostgresServer.SUPERUSER,
        "supaglue");
  }

  /** Stops the server; its clients' connections end. */
  void stop() {
    server.close();
    running = false;
  }

  /** Starts it again on the same data and port. */
  void start() {
    server = EmbeddedPostgresServer.start(data, port, false);
    running = true;
  }

  @Override
  public void close() {
    if (running) stop();
  }
}
