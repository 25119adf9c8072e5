package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.schemas.bookkeeping.DeadLettersTable;
import dev.syncbeam.schemas.bookkeeping.SeenKeysTable;
import dev.syncbeam.transforms.model.PlannedSync;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * After every page of a full refresh is written: rows of the sync whose id the run did not read are
 * marked deleted (invariants 1 and 2). Ids the run dead-lettered are spared (invariant 7).
 */
public final class FullRefreshSweep {
  private FullRefreshSweep() {}

  /**
   * Whether any of the sync's tables holds a row of it. A run planned when none did has nothing to
   * sweep: whatever it finds at the end was written while it ran, by itself or through serve.
   */
  public static boolean hasRows(Connection c, String schema, PlannedSync sync) throws SQLException {
    for (String tableName : sync.tables()) {
      TableDefinition table = ObjectTables.forTableName(tableName);
      try (PreparedStatement ps = c.prepareStatement(new TableStatements(schema, table).anyRowOfSync())) {
        bindScope(ps, table, sync);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) return true;
        }
      }
    }
    return false;
  }

  /** Sets the scope parameters (the sync's key) in the table's scope-column order; returns the next index. */
  private static int bindScope(PreparedStatement ps, TableDefinition table, PlannedSync sync) throws SQLException {
    int i = 1;
    for (String scope : table.scopeColumns()) {
      ps.setString(i++, switch (scope) {
        case ObjectTables.APPLICATION_ID -> sync.key().applicationId();
        case ObjectTables.PROVIDER_NAME -> sync.key().provider();
        case ObjectTables.CUSTOMER_ID -> sync.key().customerId();
        case ObjectTables.OBJECT_NAME -> sync.customObjectName();
        default -> throw new IllegalStateException("unknown scope column " + scope);
      });
    }
    return i;
  }

  /** Runs in the caller's transaction; returns how many rows it marked deleted. */
  public static long sweep(Connection c, String schema, PlannedSync sync, String tableName) throws SQLException {
    TableDefinition table = ObjectTables.forTableName(tableName);
    TableStatements sql = new TableStatements(schema, table);
    try (Statement st = c.createStatement()) {
      // the seen keys were written moments ago, so their statistics may say this run has none; a
      // nested loop planned on that rescans them for every row (minutes at 250,000): hash the anti-joins
      st.execute("SET LOCAL enable_nestloop = off");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.sweep(new SeenKeysTable(schema).qualifiedName(), new DeadLettersTable(schema).qualifiedName()))) {
      int i = bindScope(ps, table, sync);
      ps.setLong(i++, sync.runId());
      ps.setLong(i, sync.runId());
      long swept = ps.executeUpdate();
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL enable_nestloop = on"); // the rest of the run's transaction plans as usual
      }
      return swept;
    }
  }
}
