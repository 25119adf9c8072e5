package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.schemas.bookkeeping.DeadLettersTable;
import dev.syncbeam.schemas.bookkeeping.SeenKeysTable;
import dev.syncbeam.transforms.model.PlannedSync;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * After every page of a full refresh is written: rows of the sync whose id the run did not read are
 * marked deleted (invariants 1 and 2). Ids the run dead-lettered are spared (invariant 7).
 */
public final class FullRefreshSweep {
  private FullRefreshSweep() {}

  /** Runs in the caller's transaction; returns how many rows it marked deleted. */
  public static long sweep(Connection c, String schema, PlannedSync sync, String tableName) throws SQLException {
    TableDefinition table = ObjectTables.forTableName(tableName);
    TableStatements sql = new TableStatements(schema, table);
    try (PreparedStatement ps = c.prepareStatement(sql.sweep(new SeenKeysTable(schema).qualifiedName(), new DeadLettersTable(schema).qualifiedName()))) {
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
      ps.setLong(i++, sync.runId());
      ps.setLong(i, sync.runId());
      return ps.executeUpdate();
    }
  }
}
