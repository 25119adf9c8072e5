package dev.syncbeam.schemas;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One destination table of provider records, with the columns that play each role in the merge
 * and the sweep. All SQL for the table is generated from this (see {@link TableStatements}).
 */
public record TableDefinition(
    String name,
    TableFamily family,
    List<Column> columns,
    List<String> primaryKey,
    /** Tenant scope columns, in order: application, provider, customer (and object name for custom_objects). */
    List<String> scopeColumns,
    String idColumn,
    String emittedAtColumn,
    String lastModifiedColumn,
    String deletedColumn,
    String rawDataColumn,
    /** The unified-record jsonb that repeats is_deleted, or null where the family has none. */
    String unifiedDataColumn,
    /** True where the row was marked deleted because a full refresh did not see it, not because the provider said so. */
    String sweptColumn)
    implements Serializable {

  public TableDefinition {
    SqlIdentifiers.checkedName(name);
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    scopeColumns = List.copyOf(scopeColumns);
  }

  public Column column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("table " + name + " has no column " + columnName));
  }

  public int indexOf(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) return i;
    }
    throw new IllegalArgumentException("table " + name + " has no column " + columnName);
  }

  public boolean hasColumn(String columnName) {
    return columns.stream().anyMatch(c -> Objects.equals(c.name(), columnName));
  }
}
