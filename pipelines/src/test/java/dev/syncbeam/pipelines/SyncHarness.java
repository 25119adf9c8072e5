package dev.syncbeam.pipelines;

import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fresh database on the real embedded PostgreSQL, an extract folder, and short ways to run syncs and read tables. */
final class SyncHarness {
  static final String APP = "test-app";
  static final String SCHEMA = "supaglue";
  /** Tests keep the Direct runner's immutability and encodability checks on, to catch coder mistakes. */
  static final String[] CHECKED_DIRECT = {"--enforceImmutability=true", "--enforceEncodability=true"};

  final String url;
  final PostgresDestination destination;
  final Path root;
  private final String[] options;

  SyncHarness(String name, Path root) {
    this(name, root, PostgresDestination.DEFAULT_RECONNECT_WINDOW);
  }

  /** With a shorter reconnect window, for tests whose database connections fail on purpose. */
  SyncHarness(String name, Path root, Duration reconnectWindow) {
    this.url = SharedTestPostgres.freshDatabase(name);
    this.destination = PostgresDestination.of(url, "postgres", "postgres", SCHEMA);
    this.root = root;
    List<String> args = new ArrayList<>(List.of(CHECKED_DIRECT));
    args.add("--reconnectWindowSeconds=" + reconnectWindow.toSeconds());
    this.options = args.toArray(String[]::new);
  }

  SyncDefinition sync(String provider, String customer, String object, String strategy) {
    return sync(root, provider, customer, object, strategy);
  }

  /** A sync whose extracts are under another root than this harness's. */
  SyncDefinition sync(Path extractRoot, String provider, String customer, String object, String strategy) {
    SyncKey key = new SyncKey(APP, provider, customer, object);
    boolean custom = provider.equals("salesforce") && object.endsWith("__c");
    String table = ObjectTables.standardTableName(provider, object);
    return custom
        ? new SyncDefinition(key, extractRoot.toString(), ObjectTables.CUSTOM_OBJECTS, table, strategy, 0)
        : new SyncDefinition(key, extractRoot.toString(), table, null, strategy, 0);
  }

  SyncDefinition sync(String provider, String customer, String object) {
    return sync(provider, customer, object, RunModePolicy.FULL_THEN_INCREMENTAL);
  }

  SyncJob.Result run(boolean fullRefresh, SyncDefinition... syncs) throws SQLException {
    return new SyncJob(destination, System.out).run(List.of(syncs), fullRefresh, options);
  }

  /** One run with more Beam options than the harness's own. */
  SyncJob.Result runWith(List<String> moreOptions, boolean fullRefresh, SyncDefinition... syncs) throws SQLException {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(moreOptions);
    return new SyncJob(destination, System.out).run(List.of(syncs), fullRefresh, args.toArray(String[]::new));
  }

  /** One run of the syncs as delete checks (ids only, then the sweep). */
  SyncJob.Result runDeleteCheck(SyncDefinition... syncs) throws SQLException {
    return new SyncJob(destination, System.out).checkingDeletes().run(List.of(syncs), false, options);
  }

  /** Writes (replacing) one extract file under {@code <root>/<object>/}. */
  Path write(String object, String file, String content) throws IOException {
    Path dir = root.resolve(object);
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(file), content);
  }

  /** Empties an object's extract folder, as a new extract replaces the old one. */
  void clear(String object) throws IOException {
    Path dir = root.resolve(object);
    if (!Files.isDirectory(dir)) return;
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) Files.delete(p);
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "postgres", "postgres");
  }

  long count(String sql, Object... params) throws SQLException {
    return Long.parseLong(String.valueOf(scalar(sql, params).orElseThrow()));
  }

  Optional<Object> scalar(String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = rows(sql, params);
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).values().iterator().next());
  }

  List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.put(md.getColumnLabel(i), v == null ? null : (v instanceof org.postgresql.util.PGobject pg ? pg.getValue() : v));
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  void execute(String... sql) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String s : sql) st.execute(s);
    }
  }

  /** Every column except the per-run emitted-at stamp, in a stable order: what "same table contents" means across runs. */
  List<Map<String, Object>> contents(String table) throws SQLException {
    List<Map<String, Object>> rows = rows("SELECT * FROM " + SCHEMA + "." + table + " ORDER BY 1, 2, 3, 4, 5");
    rows.forEach(r -> r.remove("_supaglue_emitted_at"));
    return rows;
  }

  Map<String, Object> lastRun(SyncDefinition sync) throws SQLException {
    return rows("SELECT * FROM " + SCHEMA + "._syncbeam_sync_runs WHERE customer_id = ? AND provider_name = ? AND object_name = ?"
        + " ORDER BY run_id DESC LIMIT 1", sync.key().customerId(), sync.key().provider(), sync.key().object()).get(0);
  }

  Object watermark(SyncDefinition sync) throws SQLException {
    return scalar("SELECT watermark FROM " + SCHEMA + "._syncbeam_sync_state WHERE customer_id = ? AND provider_name = ? AND object_name = ?",
        sync.key().customerId(), sync.key().provider(), sync.key().object()).orElse(null);
  }
}
