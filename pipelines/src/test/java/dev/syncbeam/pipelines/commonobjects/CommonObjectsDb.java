package dev.syncbeam.pipelines.commonobjects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.Column;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the common-object end-to-end tests share: provider fixtures copied into an extract layout at
 * test time (never into the repository), one real database per test class, and row reads.
 */
final class CommonObjectsDb {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA = "supaglue";
  final String url;

  CommonObjectsDb(String name) {
    this.url = SharedTestPostgres.freshDatabase(name);
  }

  /** The shared provider fixtures; the test is skipped when they are not there. */
  static Path fixtures() {
    String dir = System.getProperty("syncbeam.fixtures");
    assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
        "provider fixtures not available: system property syncbeam.fixtures (set by surefire to ../shared/fixtures) is "
            + (dir == null ? "unset" : "not a directory: " + dir));
    return Path.of(dir);
  }

  static JsonNode fixture(String relative) throws IOException {
    return JSON.readTree(fixtures().resolve(relative).toFile());
  }

  /** Writes one response page as {@code <root>/<folder>/<file>}. */
  static void page(Path root, String folder, String file, JsonNode page) throws IOException {
    Files.createDirectories(root.resolve(folder));
    JSON.writeValue(root.resolve(folder).resolve(file).toFile(), page);
  }

  static ObjectNode obj(String json) throws IOException {
    return (ObjectNode) JSON.readTree(json);
  }

  static SyncDefinition sync(Path root, String provider, String object, String commonObject) {
    return new SyncDefinition(new SyncKey("app", provider, "acme", object), root.toString(),
        ObjectTables.standardTableName(provider, object), null, "full_then_incremental", 0, CommonObject.of(commonObject));
  }

  SyncJob.Result run(List<SyncDefinition> defs) throws SQLException {
    return new SyncJob(PostgresDestination.of(url, "postgres", "postgres", SCHEMA), System.out)
        .run(defs, false, new String[0]);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "postgres", "postgres");
  }

  long count(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** How many rows the table holds (all of this test class's database). */
  long rowCount(String table) throws SQLException {
    return count("SELECT count(*) FROM " + SCHEMA + "." + table);
  }

  /** The latest run's column of one sync, e.g. {@code coerced}. */
  long lastRun(String provider, String object, String column) throws SQLException {
    return count("SELECT " + column + " FROM " + SCHEMA + "._syncbeam_sync_runs WHERE provider_name = ? AND object_name = ?"
        + " ORDER BY run_id DESC LIMIT 1", provider, object);
  }

  /** One row by id: timestamps as UTC Instants, jsonb as JsonNode, others as JDBC returns them. */
  Map<String, Object> row(String table, String id) throws SQLException, IOException {
    List<Map<String, Object>> rows = rows("SELECT * FROM " + SCHEMA + "." + table + " WHERE id = ?", id);
    assertEquals(1, rows.size(), table + " rows with id " + id);
    return rows.get(0);
  }

  List<Map<String, Object>> rows(String sql, Object... params) throws SQLException, IOException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v;
            if (md.getColumnType(i) == Types.TIMESTAMP) {
              LocalDateTime t = rs.getObject(i, LocalDateTime.class);
              v = t == null ? null : t.toInstant(ZoneOffset.UTC);
            } else if ("jsonb".equals(md.getColumnTypeName(i))) {
              String js = rs.getString(i);
              v = js == null ? null : JSON.readTree(js);
            } else {
              v = rs.getObject(i);
            }
            row.put(md.getColumnName(i), v);
          }
          out.add(row);
        }
        return out;
      }
    }
  }

  /** Expected values by column; a String for a timestamp column is parsed as an Instant, for jsonb as JSON. */
  void assertRow(String table, String id, Object... columnsAndValues) throws Exception {
    Map<String, Object> row = row(table, id);
    TableDefinition def = ObjectTables.forTableName(table);
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      String col = (String) columnsAndValues[i];
      Object expected = columnsAndValues[i + 1];
      Column column = def.column(col);
      if (expected instanceof String s && column.type() == dev.syncbeam.schemas.ColumnType.TIMESTAMP) expected = Instant.parse(s);
      if (expected instanceof String s && column.type() == dev.syncbeam.schemas.ColumnType.JSONB) expected = JSON.readTree(s);
      assertEquals(expected, row.get(col), table + " " + id + " ." + col);
    }
    assertUnifiedAgrees(table, row);
  }

  /** _supaglue_unified_data repeats every typed column (and has no raw_data). */
  static void assertUnifiedAgrees(String table, Map<String, Object> row) {
    JsonNode unified = (JsonNode) row.get("_supaglue_unified_data");
    assertNotNull(unified, table + " row " + row.get("id") + " has no unified data");
    assertEquals(false, unified.has("raw_data"));
    for (Column col : ObjectTables.forTableName(table).columns()) {
      String name = col.name();
      if (name.startsWith("_supaglue_") || name.startsWith("_syncbeam_") || name.equals("raw_data")) continue;
      Object typed = row.get(name);
      JsonNode u = unified.get(name);
      assertNotNull(u, "unified data lacks " + name);
      Object fromJson = switch (col.type()) {
        case TIMESTAMP -> u.isNull() ? null : Instant.parse(u.textValue());
        case JSONB -> u.isNull() ? null : u;
        case BOOLEAN -> u.isNull() ? null : u.booleanValue();
        case INTEGER -> u.isNull() ? null : u.intValue();
        case DOUBLE -> u.isNull() ? null : u.doubleValue();
        default -> u.isNull() ? null : u.textValue();
      };
      assertEquals(typed, fromJson, table + " " + row.get("id") + ": unified " + name + " disagrees with the column");
    }
  }

  /** Every row of a crm table agrees with its unified data. */
  void assertAllUnifiedAgree(String table) throws Exception {
    for (Map<String, Object> row : rows("SELECT * FROM " + SCHEMA + "." + table)) assertUnifiedAgrees(table, row);
  }
}
