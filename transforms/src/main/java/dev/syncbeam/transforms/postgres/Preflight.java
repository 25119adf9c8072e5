package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything runs, that the destination user holds exactly the privileges Supaglue's
 * Postgres setup grants, and names the GRANT that would fix each gap.
 */
public final class Preflight {
  private Preflight() {}

  /** Empty when everything is in place; otherwise one line per problem, each naming its fix. */
  public static List<String> missingPrivileges(PostgresDestination destination) {
    List<String> problems = new ArrayList<>();
    String schema = destination.schema();
    String qSchema = SqlIdentifiers.quote(schema);
    try (Connection c = destination.open()) {
      String user = scalar(c, "SELECT current_user", null);
      String db = scalar(c, "SELECT current_database()", null);
      String who = SqlIdentifiers.quote(user);
      boolean schemaExists = bool(c, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", schema);
      if (!schemaExists) {
        if (!bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')", null)) {
          problems.add("schema " + schema + " does not exist and " + user + " may not create it: run CREATE SCHEMA " + qSchema
              + "; GRANT ALL PRIVILEGES ON SCHEMA " + qSchema + " TO " + who + ";");
        }
      } else {
        for (String priv : List.of("USAGE", "CREATE")) {
          if (!bool(c, "SELECT has_schema_privilege(?, '" + priv + "')", schema)) {
            problems.add("missing " + priv + " on schema " + schema + ": GRANT ALL PRIVILEGES ON SCHEMA " + qSchema + " TO " + who + ";");
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, p.priv FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE']) AS p(priv)"
            + " WHERE n.nspname = ? AND CASE WHEN c.relkind IN ('r', 'p') THEN NOT has_table_privilege(c.oid, p.priv) ELSE false END"
            + " ORDER BY 1, 2")) {
          ps.setString(1, schema);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              problems.add("missing " + rs.getString(2) + " on " + schema + "." + rs.getString(1)
                  + ": GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA " + qSchema + " TO " + who + ";");
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'USAGE') ELSE false END"
            + " ORDER BY 1")) {
          ps.setString(1, schema);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              problems.add("missing USAGE on sequence " + schema + "." + rs.getString(1)
                  + ": GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA " + qSchema + " TO " + who + ";");
            }
          }
        }
      }
      if (!bool(c, "SELECT has_database_privilege(current_database(), 'TEMPORARY')", null)) {
        problems.add("missing TEMPORARY on database " + db + " (the sink stages batches in temp tables): GRANT TEMPORARY ON DATABASE "
            + SqlIdentifiers.quote(db) + " TO " + who + ";");
      }
    } catch (SQLException e) {
      problems.add("cannot connect: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return problems;
  }

  private static String scalar(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static boolean bool(Connection c, String sql, String param) throws SQLException {
    String v = scalar(c, sql, param);
    return "t".equals(v) || "true".equals(v);
  }
}
