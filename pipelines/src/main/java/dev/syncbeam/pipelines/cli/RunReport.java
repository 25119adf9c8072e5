package dev.syncbeam.pipelines.cli;

import dev.syncbeam.schemas.bookkeeping.DeadLettersTable;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
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
    SyncRunsTable runs = new SyncRunsTable(dest.schema());
    try (Connection c = dest.open()) {
      try (PreparedStatement ps = c.prepareStatement(runs.report())) {
        ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          TextTable.of(rs).print(out, 120);
        }
      }
      try (PreparedStatement dl = c.prepareStatement(runs.deadLetterTotal())) {
        dl.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
        try (ResultSet rs = dl.executeQuery()) {
          rs.next();
          long n = rs.getLong(1);
          if (n > 0) {
            out.printf("%,d record(s) set aside as dead letters: ./syncbeam sql \"select run_id, object_name, record_id, error"
                + " from %s where run_id >= %d\"%n", n, new DeadLettersTable(dest.schema()).qualifiedName(), runIds.get(0));
          }
        }
      }
    }
  }
}
