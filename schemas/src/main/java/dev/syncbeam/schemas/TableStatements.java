package dev.syncbeam.schemas;

import static dev.syncbeam.schemas.SqlIdentifiers.quote;

import java.util.List;
import java.util.stream.Collectors;

/**
 * All SQL for one family of record tables, generated from its {@link TableDefinition}: the staging
 * table the sink COPYs into, the guarded merge, and the full-refresh sweep. Every statement names
 * its columns, so columns a user adds to these tables are left alone.
 */
public final class TableStatements {
  private final String schema;
  private final TableDefinition table;

  public TableStatements(String schema, TableDefinition table) {
    this.schema = schema;
    this.table = table;
  }

  public TableDefinition table() {
    return table;
  }

  public String qualifiedTable() {
    return SqlIdentifiers.qualified(schema, table.name());
  }

  /** Session-local; one per (connection, table). Not LIKE the target: user-added columns must not leak in. */
  public String stagingTable() {
    return quote("_syncbeam_stage_" + table.name());
  }

  private String columnList() {
    return table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
  }

  private static String list(List<String> names) {
    return names.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
  }

  public String createStaging() {
    String cols = table.columns().stream().map(c -> quote(c.name()) + " " + c.type().sql)
        .collect(Collectors.joining(", "));
    return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable() + " (" + cols + ")";
  }


  /** COPY straight into the table: only valid when none of the batch's ids exist yet (a first load). */
  public String copyIntoTable() {
    return "COPY " + qualifiedTable() + " (" + columnList() + ") FROM STDIN";
  }

  public String copyIntoStaging() {
    return "COPY " + stagingTable() + " (" + columnList() + ") FROM STDIN";
  }

  /**
   * The version order that decides which of two copies of a record wins: the newer
   * last-modified time, and on a tie the greater raw payload text, so equal timestamps resolve the
   * same way whatever order runs and batches land in (invariant 3).
   */
  private String versionOf(String alias) {
    return "(" + alias + "." + quote(table.lastModifiedColumn()) + ", " + alias + "." + quote(table.rawDataColumn()) + "::text)";
  }

  /** Session-local: the primary key and content hash of each row of a batch, staged before any full row is sent. */
  public String keysTable() {
    return quote("_syncbeam_keys_" + table.name());
  }

  public String createKeys() {
    String cols = table.primaryKey().stream().map(c -> quote(c) + " text").collect(Collectors.joining(", "));
    return "CREATE TEMP TABLE IF NOT EXISTS " + keysTable() + " (" + cols + ", "
        + quote(ObjectTables.CONTENT_HASH) + " bigint)";
  }

  /** COPY text lines: the primary-key values in {@link TableDefinition#primaryKey()} order, then the hash. */
  public String copyIntoKeys() {
    return "COPY " + keysTable() + " (" + list(table.primaryKey()) + ", " + quote(ObjectTables.CONTENT_HASH) + ") FROM STDIN";
  }

  /**
   * The staged keys whose row must be written: no stored row yet, a stored row with other content
   * (or none recorded), or a row the sweep deleted, which a live read brings back. The rest are
   * unchanged and are never sent, so their rows keep their tuples.
   */
  public String changedKeys() {
    String join = table.primaryKey().stream().map(c -> "t." + quote(c) + " = k." + quote(c)).collect(Collectors.joining(" AND "));
    String hash = quote(ObjectTables.CONTENT_HASH);
    return "SELECT " + table.primaryKey().stream().map(c -> "k." + quote(c)).collect(Collectors.joining(", "))
        + " FROM " + keysTable() + " k LEFT JOIN " + qualifiedTable() + " t ON " + join
        + " WHERE t." + quote(table.idColumn()) + " IS NULL OR t." + hash + " IS DISTINCT FROM k." + hash
        + " OR t." + quote(table.sweptColumn()) + " IS TRUE";
  }

  /**
   * One statement per batch of changed rows: duplicates inside the batch collapse to their newest
   * version (DISTINCT ON), then each row replaces the stored one only if it is not older, or if the
   * stored row was deleted by a sweep and the record is live again (the provider has it after all).
   * A stored row that is newer is left exactly as it is.
   */
  public String mergeFromStaging(boolean batchHasDuplicateIds) {
    String pk = list(table.primaryKey());
    String select = batchHasDuplicateIds
        ? "SELECT DISTINCT ON (" + pk + ") " + columnList() + " FROM " + stagingTable() + " s ORDER BY " + pk
            + ", s." + quote(table.lastModifiedColumn()) + " DESC, s." + quote(table.rawDataColumn()) + "::text DESC"
        : "SELECT " + columnList() + " FROM " + stagingTable();
    String newer = "(" + versionOf("EXCLUDED") + " >= " + versionOf("t") + " OR (t." + quote(table.sweptColumn())
        + " IS TRUE AND NOT EXCLUDED." + quote(table.deletedColumn()) + "))";
    String updates = table.columns().stream()
        .filter(c -> !table.primaryKey().contains(c.name()))
        .map(c -> quote(c.name()) + " = EXCLUDED." + quote(c.name()))
        .collect(Collectors.joining(", "));
    return "INSERT INTO " + qualifiedTable() + " AS t (" + columnList() + ") " + select
        + " ON CONFLICT (" + pk + ") DO UPDATE SET " + updates + " WHERE " + newer;
  }

  /**
   * One page of a tenant's rows in id order, for the serve API's cached lists: id, last-modified,
   * deleted, the raw data, and the unified data (NULL for raw tables). Parameters: scope values in
   * {@link TableDefinition#scopeColumns()} order, the modified-after instant twice (null for any),
   * the previous page's last id twice (null for the first page), the row limit.
   */
  public String pageById() {
    String id = "t." + quote(table.idColumn());
    String modified = "t." + quote(table.lastModifiedColumn());
    String unified = table.unifiedDataColumn() == null ? "NULL" : "t." + quote(table.unifiedDataColumn()) + "::text";
    StringBuilder sql = new StringBuilder("SELECT ").append(id).append(", ").append(modified).append(", t.")
        .append(quote(table.deletedColumn())).append(", t.").append(quote(table.rawDataColumn())).append("::text, ").append(unified)
        .append(" FROM ").append(qualifiedTable()).append(" t WHERE ");
    return sql.append(scopeIs("t.")).append(" AND (?::timestamp IS NULL OR ").append(modified).append(" > ?::timestamp)")
        .append(" AND (?::text IS NULL OR ").append(id).append(" > ?::text)")
        .append(" ORDER BY ").append(id).append(" LIMIT ?").toString();
  }

  /**
   * Id and content hash of each stored row of a sync that a re-sync may leave untouched: rows with a
   * hash that no sweep deleted. Parameters: scope values in {@link TableDefinition#scopeColumns()} order.
   */
  public String storedHashes() {
    return "SELECT " + quote(table.idColumn()) + ", " + quote(ObjectTables.CONTENT_HASH) + " FROM " + qualifiedTable()
        + " WHERE " + scopeIs("") + " AND " + quote(ObjectTables.CONTENT_HASH) + " IS NOT NULL AND "
        + quote(table.sweptColumn()) + " IS NOT TRUE";
  }

  /** One row of a sync, if the table has any (its primary key finds it). Parameters: scope values in {@link TableDefinition#scopeColumns()} order. */
  public String anyRowOfSync() {
    return "SELECT 1 FROM " + qualifiedTable() + " WHERE " + scopeIs("") + " LIMIT 1";
  }

  /**
   * Full-refresh sweep: rows of this sync whose id the run did not read are marked deleted, except
   * ids the run set aside as dead letters. Parameters: scope values in
   * {@link TableDefinition#scopeColumns()} order, then the run id twice.
   */
  public String sweep(String seenKeysTable, String deadLettersTable) {
    StringBuilder sql = new StringBuilder("UPDATE ").append(qualifiedTable()).append(" t SET ")
        .append(quote(table.deletedColumn())).append(" = true, ").append(quote(table.sweptColumn())).append(" = true");
    if (table.unifiedDataColumn() != null) {
      String u = quote(table.unifiedDataColumn());
      sql.append(", ").append(u).append(" = jsonb_set(coalesce(t.").append(u).append(", '{}'::jsonb), '{is_deleted}', 'true'::jsonb)");
    }
    sql.append(" WHERE ").append(scopeIs("t.")).append(" AND NOT t.").append(quote(table.deletedColumn()))
        .append(" AND NOT EXISTS (SELECT 1 FROM ").append(seenKeysTable)
        .append(" s WHERE s.run_id = ? AND s.record_id = t.").append(quote(table.idColumn())).append(")")
        .append(" AND NOT EXISTS (SELECT 1 FROM ").append(deadLettersTable)
        .append(" d WHERE d.run_id = ? AND d.record_id = t.").append(quote(table.idColumn())).append(")");
    return sql.toString();
  }

  /** The sync's scope as a condition, one parameter per scope column in {@link TableDefinition#scopeColumns()} order. */
  private String scopeIs(String alias) {
    return table.scopeColumns().stream().map(c -> alias + quote(c) + " = ?").collect(Collectors.joining(" AND "));
  }
}
