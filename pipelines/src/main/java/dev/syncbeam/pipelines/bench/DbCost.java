package dev.syncbeam.pipelines.bench;

import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one load cost the database: WAL bytes ({@code pg_current_wal_lsn()} before and after; the
 * whole cluster, so nothing else may write meanwhile) and the tuples inserted and updated in its
 * table ({@code pg_stat_user_tables}).
 */
final class DbCost {
  private final PostgresDestination dest;

  DbCost(PostgresDestination dest) {
    this.dest = dest;
  }

  record Snapshot(String table, String lsn, long inserted, long updated) {}

  record Load(long walBytes, long inserted, long updated) {
    @Override public String toString() {
      return String.format("wal_mb %.1f  tuples_inserted %d  tuples_updated %d", walBytes / 1048576.0, inserted, updated);
    }
  }

  Snapshot snapshot(String table) throws SQLException {
    try (Connection c = dest.open()) {
      c.setAutoCommit(true);
      String lsn;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        rs.next();
        lsn = rs.getString(1);
      }
      long[] tuples = tuples(c, table);
      return new Snapshot(table, lsn, tuples[0], tuples[1]);
    }
  }

  Load since(Snapshot before) throws SQLException, InterruptedException {
    try (Connection c = dest.open()) {
      c.setAutoCommit(true);
      long wal;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint")) {
        ps.setString(1, before.lsn());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          wal = rs.getLong(1);
        }
      }
      // backends report table statistics at most once a second, and when they close
      Thread.sleep(1500);
      long[] tuples = tuples(c, before.table());
      return new Load(wal, tuples[0] - before.inserted(), tuples[1] - before.updated());
    }
  }

  private static long[] tuples(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE schemaname = 'supaglue' AND relname = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
      }
    }
  }
}
