package dev.syncbeam.schemas;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a destination schema up to date: applies each migration not yet recorded, in order, each
 * in its own transaction, under an advisory lock so concurrent SyncBeam processes do not race.
 */
public final class SchemaMigrator {
  private final List<Migration> migrations;

  public SchemaMigrator(List<Migration> migrations) {
    this.migrations = migrations.stream().sorted((a, b) -> Integer.compare(a.version(), b.version())).toList();
  }

  public static SchemaMigrator standard() {
    return new SchemaMigrator(Migrations.ALL);
  }

  /** Returns the versions applied by this call (empty when the schema was already current). */
  public List<Integer> migrate(Connection conn, String schema) throws SQLException {
    boolean autoCommit = conn.getAutoCommit();
    List<Integer> applied = new ArrayList<>();
    try {
      conn.setAutoCommit(true);
      ensureSchema(conn, schema);
      conn.setAutoCommit(false);
      try (PreparedStatement lock = conn.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, "syncbeam-migrate:" + schema);
        lock.execute();
      }
      try (Statement st = conn.createStatement()) {
        st.execute(SyncbeamTables.migrationsDdl(schema));
      }
      Set<Integer> done = appliedVersions(conn, schema);
      for (Migration m : migrations) {
        if (done.contains(m.version())) continue;
        m.apply(conn, schema);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO "
            + SqlIdentifiers.qualified(schema, SyncbeamTables.MIGRATIONS) + " (version, description) VALUES (?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.executeUpdate();
        }
        applied.add(m.version());
      }
      conn.commit();
      return applied;
    } catch (SQLException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(autoCommit);
    }
  }

  /** Supaglue's setup creates the schema for the user; only create it when it is truly missing. */
  private static void ensureSchema(Connection conn, String schema) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) return;
      }
    }
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
    }
  }

  private static Set<Integer> appliedVersions(Connection conn, String schema) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    try (Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT version FROM " + SqlIdentifiers.qualified(schema, SyncbeamTables.MIGRATIONS))) {
      while (rs.next()) versions.add(rs.getInt(1));
    }
    return versions;
  }
}
