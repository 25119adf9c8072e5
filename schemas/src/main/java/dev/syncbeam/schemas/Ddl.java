package dev.syncbeam.schemas;

import static dev.syncbeam.schemas.SqlIdentifiers.quote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** DDL generated from table definitions. Only ever creates and adds: nothing is dropped or renamed. */
public final class Ddl {
  private Ddl() {}

  public static String createTable(String schema, TableDefinition table) {
    String cols = table.columns().stream().map(Column::ddl).collect(Collectors.joining(", "));
    String pk = table.primaryKey().stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    return "CREATE TABLE IF NOT EXISTS " + SqlIdentifiers.qualified(schema, table.name()) + " (" + cols
        + ", PRIMARY KEY (" + pk + "))";
  }

  /** The per-object view over custom_objects, e.g. {@code salesforce_invoice_c}. */
  public static String customObjectView(String schema, String provider, String objectSlugName) {
    return "CREATE OR REPLACE VIEW " + SqlIdentifiers.qualified(schema, SqlIdentifiers.checkedName(objectSlugName))
        + " AS SELECT * FROM " + SqlIdentifiers.qualified(schema, ObjectTables.CUSTOM_OBJECTS)
        + " WHERE " + quote(ObjectTables.PROVIDER_NAME) + " = " + SqlIdentifiers.literal(provider)
        + " AND " + quote(ObjectTables.OBJECT_NAME) + " = " + SqlIdentifiers.literal(objectSlugName);
  }

  /**
   * Creates the table if it is missing and adds any column of the definition it lacks. Columns are
   * read from the catalog first, so a table that is already current takes no lock at all; a change
   * is made under a transaction-scoped advisory lock, so it lasts until the caller commits.
   */
  public static void ensureTable(Connection conn, String schema, TableDefinition table) throws SQLException {
    Set<String> existing = existingColumns(conn, schema, table.name());
    if (existing.containsAll(table.columns().stream().map(Column::name).toList())) return;
    // two processes creating the same table at once collide in pg_type even with IF NOT EXISTS: the
    // second waits for the first's commit, then reads the catalog again
    try (PreparedStatement lock = conn.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      lock.setString(1, "syncbeam-ddl:" + schema + "." + table.name());
      lock.execute();
    }
    existing = existingColumns(conn, schema, table.name());
    try (Statement st = conn.createStatement()) {
      if (existing.isEmpty()) {
        st.execute(createTable(schema, table));
        return;
      }
      for (Column c : table.columns()) {
        if (!existing.contains(c.name())) {
          st.execute("ALTER TABLE " + SqlIdentifiers.qualified(schema, table.name()) + " ADD COLUMN IF NOT EXISTS " + c.ddl());
        }
      }
    }
  }

  public static Set<String> existingColumns(Connection conn, String schema, String table) throws SQLException {
    Set<String> cols = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) cols.add(rs.getString(1));
      }
    }
    return cols;
  }

  public static void execute(Connection conn, List<String> statements) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String sql : statements) st.execute(sql);
    }
  }
}
