package dev.syncbeam.pipelines.bench;

import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What one load cost the database: the WAL it generated (server-wide, {@code pg_current_wal_lsn()}
 * before and after) and the tuples it inserted and updated in its table ({@code pg_stat_user_tables}).
 */
record DatabaseCost(long walBytes, long inserted, long updated) {
  record Snapshot(String table, String lsn, long inserted, long updated) {}

  static Snapshot snapshot(PostgresDestination dest, String table) throws SQLException {
    try (Connection c = dest.open()) {
      // table statistics reach the shared counters up to a second after the writers' transactions end
      sleepForStats();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_wal_lsn()::text, coalesce(n_tup_ins, 0), coalesce(n_tup_upd, 0)"
          + " FROM (SELECT 1) one LEFT JOIN pg_stat_user_tables s ON s.schemaname = ? AND s.relname = ?")) {
        ps.setString(1, dest.schema());
        ps.setString(2, table);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          Snapshot s = new Snapshot(table, rs.getString(1), rs.getLong(2), rs.getLong(3));
          c.commit();
          return s;
        }
      }
    }
  }

  static DatabaseCost since(PostgresDestination dest, Snapshot before) throws SQLException {
    Snapshot after = snapshot(dest, before.table());
    try (Connection c = dest.open(); PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
      ps.setString(1, after.lsn());
      ps.setString(2, before.lsn());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        DatabaseCost cost = new DatabaseCost(rs.getLong(1), after.inserted() - before.inserted(), after.updated() - before.updated());
        c.commit();
        return cost;
      }
    }
  }

  private static void sleepForStats() {
    try {
      Thread.sleep(1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return String.format("wal_mb %.1f  tuples_inserted %,d  tuples_updated %,d", walBytes / 1048576.0, inserted, updated);
  }
}
