package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One runner's destination: a fresh database on the shared embedded PostgreSQL, the Beam options that pick the runner, and the queries that compare two destinations. */
final class RunnerDestination {
  static final String SCHEMA = "supaglue";
  final String name;
  final String[] beamArgs;
  final String url;
  final List<String> timings = new ArrayList<>();

  RunnerDestination(String name, String... beamArgs) {
    this(name, SharedTestPostgres.freshDatabase("parity_" + name), beamArgs);
  }

  private RunnerDestination(String name, String url, String[] beamArgs) {
    this.name = name;
    this.beamArgs = beamArgs;
    this.url = url;
  }

  /** The same database, run with other Beam options. */
  RunnerDestination withArgs(String... otherBeamArgs) {
    return new RunnerDestination(name, url, otherBeamArgs);
  }

  PostgresDestination destination() {
    return PostgresDestination.of(url, "postgres", "postgres", SCHEMA);
  }

  /** One run of the syncs that must succeed. */
  void run(List<SyncDefinition> syncs, String... extraBeamArgs) throws SQLException {
    SyncJob.Result result = runOnce(syncs, false, extraBeamArgs);
    assertTrue(result.allSucceeded(), name + ": runs " + result.runIds() + " did not all succeed");
  }

  /** One run, whatever its outcome; {@code extraBeamArgs} go after the runner's own. */
  SyncJob.Result runOnce(List<SyncDefinition> syncs, boolean fullRefresh, String... extraBeamArgs) throws SQLException {
    String[] args = new String[beamArgs.length + extraBeamArgs.length];
    System.arraycopy(beamArgs, 0, args, 0, beamArgs.length);
    System.arraycopy(extraBeamArgs, 0, args, beamArgs.length, extraBeamArgs.length);
    long start = System.nanoTime();
    SyncJob.Result result = new SyncJob(destination(), System.out).run(syncs, fullRefresh, args);
    long ms = (System.nanoTime() - start) / 1_000_000;
    timings.add(ms + " ms");
    System.out.printf("%s run of %d sync(s) took %,d ms%n", name, syncs.size(), ms);
    return result;
  }

  String timings() {
    return name + " " + String.join(" / ", timings);
  }

  List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) row.append(i > 1 ? " | " : "").append(rs.getString(i));
        out.add(row.toString());
      }
    }
    return out;
  }

  /** The record tables (standard, custom and crm_* common-object tables), as "table deletedColumn". */
  List<String> objectTables() throws SQLException {
    return query("SELECT table_name || ' ' || column_name FROM information_schema.columns WHERE table_schema = '" + SCHEMA
        + "' AND column_name IN ('_supaglue_is_deleted', 'is_deleted') ORDER BY table_name");
  }

  /** Every column but the per-run {@code _supaglue_emitted_at}, as one JSON text per row, in a stable order. */
  List<String> rows(String table) throws SQLException {
    return query("SELECT (to_jsonb(t) - '_supaglue_emitted_at')::text FROM " + SCHEMA + "." + table + " t ORDER BY 1");
  }

  /** "N rows, M deleted" of "table deletedColumn" (the deleted column defaults to the raw tables' one). */
  List<String> rowCounts(String tableAndDeleted) throws SQLException {
    String[] t = (tableAndDeleted + " _supaglue_is_deleted").split(" ");
    return query("SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE " + t[1] + ") || ' deleted' FROM " + SCHEMA + "." + t[0]);
  }

  /** How many rows each run stamped as seen: emitted-at values differ by runner, which run stamped a row must not. */
  List<String> rowsPerRun(String table) throws SQLException {
    return query("SELECT run, count(*) FROM (SELECT dense_rank() OVER (ORDER BY _supaglue_emitted_at) AS run FROM "
        + SCHEMA + "." + table + ") x GROUP BY run ORDER BY run");
  }

  List<String> runSummaries(String object) throws SQLException {
    return query("SELECT strategy || ' ' || status || ' read=' || records_read || ' written=' || records_written"
        + " || ' deleted=' || records_deleted || ' skipped=' || records_skipped || ' dead=' || dead_letters"
        + " FROM " + SCHEMA + "._syncbeam_sync_runs WHERE object_name = '" + object + "' ORDER BY run_id");
  }

  /** id → (last modified, deleted) of one object's rows in {@code table} (custom objects are scoped by object name). */
  Map<String, ParityScenarios.Expected> landed(String table, String customObjectName) throws SQLException {
    String scope = table.equals(ObjectTables.CUSTOM_OBJECTS) ? " WHERE _supaglue_object_name = '" + customObjectName + "'" : "";
    Map<String, ParityScenarios.Expected> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT _supaglue_id, (extract(epoch FROM _supaglue_last_modified_at) * 1000)::bigint,"
             + " _supaglue_is_deleted FROM " + SCHEMA + "." + table + scope)) {
      while (rs.next()) {
        if (out.put(rs.getString(1), new ParityScenarios.Expected(rs.getLong(2), rs.getBoolean(3))) != null) {
          throw new AssertionError(name + ": id " + rs.getString(1) + " landed twice in " + table);
        }
      }
    }
    return out;
  }
}
