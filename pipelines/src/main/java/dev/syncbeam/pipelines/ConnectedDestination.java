package dev.syncbeam.pipelines;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.EmbeddedPostgresServer;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.nio.file.Path;

/**
 * The destination a command works against: the configured database, or the embedded default
 * whose data lives under {@code .syncbeam/} in the working directory. Closing stops the embedded server.
 */
public final class ConnectedDestination implements AutoCloseable {
  public static final Path EMBEDDED_DATA_DIR = Path.of(".syncbeam", "postgres");

  private final PostgresDestination destination;
  private final EmbeddedPostgresServer embedded;
  private final String description;

  private ConnectedDestination(PostgresDestination destination, EmbeddedPostgresServer embedded, String description) {
    this.destination = destination;
    this.embedded = embedded;
    this.description = description;
  }

  /**
   * The config's destination; with a {@code webhook:} configured, ending a run or pausing a sync
   * there also records its webhook event, whichever command (or worker) does it.
   */
  public static ConnectedDestination open(SyncbeamConfig cfg) {
    ConnectedDestination d = open(cfg.destination());
    return new ConnectedDestination(d.destination.withWebhookEvents(cfg.webhook() != null), d.embedded, d.description);
  }

  public static ConnectedDestination open(SyncbeamConfig.Destination d) {
    if (d.embedded()) {
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(EMBEDDED_DATA_DIR.toAbsolutePath());
      return new ConnectedDestination(
          PostgresDestination.of(server.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER, EmbeddedPostgresServer.SUPERUSER, d.schema()),
          server, "embedded PostgreSQL on port " + server.port() + " (data in " + EMBEDDED_DATA_DIR + ")");
    }
    String url = d.url();
    if (d.sslMode() != null && !url.contains("sslmode=")) url += (url.contains("?") ? "&" : "?") + "sslmode=" + d.sslMode().value();
    return new ConnectedDestination(PostgresDestination.of(url, d.user(), d.password(), d.schema()), null, d.describe());
  }

  public PostgresDestination destination() {
    return destination;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    if (embedded != null) embedded.close();
  }
}
