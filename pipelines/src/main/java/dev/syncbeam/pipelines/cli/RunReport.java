package dev.syncbeam.pipelines.cli;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The summary after a sync: one line per run, then where to look for dead letters. */
final class RunReport {
  private RunReport() {}

  static void print(PostgresDestination dest, List<Long> runIds, PrintStream out) throws SQLException {
    if (runIds.isEmpty()) {
      out.println("nothing to run");
      return;
    }
    String runs = SqlIdentifiers.qualified(dest.schema(), SyncbeamTables.SYNC_RUNS);
    try (Connection c = dest.open();
         PreparedStatement ps = c.prepareStatement("SELECT run_id AS run, customer_id || '/' || provider_name || '/' || object_name AS sync,"
             + " strategy AS mode, status, records_read AS read, records_written AS written, records_deleted AS swept,"
             + " records_skipped AS skipped, dead_letters, coerced,"
             + " round(extract(epoch FROM ended_at - started_at)::numeric, 1) AS seconds, coalesce(error, notes, '') AS message"
             + " FROM " + runs + " WHERE run_id = ANY(?) ORDER BY run_id")) {
      ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        TextTable.of(rs).print(out, 120);
      }
      try (PreparedStatement dl = c.prepareStatement("SELECT coalesce(sum(dead_letters), 0) FROM " + runs + " WHERE run_id = ANY(?)")) {
        dl.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
        try (ResultSet rs = dl.executeQuery()) {
          rs.next();
          long n = rs.getLong(1);
          if (n > 0) {
            out.printf("%,d record(s) set aside as dead letters: ./syncbeam sql \"select run_id, object_name, record_id, error"
                + " from %s.%s where run_id >= %d\"%n", n, dest.schema(), SyncbeamTables.DEAD_LETTERS, runIds.get(0));
          }
        }
      }
    }
  }
}
