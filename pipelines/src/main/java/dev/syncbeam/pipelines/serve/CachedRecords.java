package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of common-object records read from the destination's crm_* table ({@code read_from_cache}),
 * in id order. The cursor is opaque to callers: the last id of the page, encoded.
 */
final class CachedRecords {
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 1000;
  private static final String CURSOR_PREFIX = "after:";
  private static final String UNDEFINED_TABLE = "42P01";

  /** One page: the records and the cursor of the next page, null on the last. */
  record Page(List<ObjectNode> records, String next) {}

  private final PostgresDestination destination;
  private final String applicationId;

  CachedRecords(PostgresDestination destination, String applicationId) {
    this.destination = destination;
    this.applicationId = applicationId;
  }

  /** A page of a common object's crm_* rows: the unified records ({@code raw_data} added on request). */
  Page page(CrmConnection c, CommonObject object, Instant modifiedAfter, String cursor, int pageSize, boolean withRawData) {
    return page(ObjectTables.common(object), List.of(applicationId, c.provider(), c.customerId()), modifiedAfter, cursor, pageSize,
        row -> {
          ObjectNode record = (ObjectNode) Json.MAPPER.readTree(row.unified());
          if (withRawData) record.set("raw_data", row.raw() == null ? null : Json.MAPPER.readTree(row.raw()));
          return record;
        });
  }

  /** A page of a standard object's table, or of one custom object's rows: {@code {id, is_deleted, last_modified_at, data}}. */
  Page page(CrmConnection c, TableDefinition table, String customObjectName, Instant modifiedAfter, String cursor, int pageSize) {
    List<String> scope = new ArrayList<>(List.of(applicationId, c.provider(), c.customerId()));
    if (customObjectName != null) scope.add(customObjectName);
    return page(table, scope, modifiedAfter, cursor, pageSize, row -> {
      ObjectNode record = Json.MAPPER.createObjectNode().put("id", row.id()).put("is_deleted", row.deleted())
          .put("last_modified_at", row.lastModified().toString());
      record.set("data", row.raw() == null ? null : Json.MAPPER.readTree(row.raw()));
      return record;
    });
  }

  /** One stored row as the page query returns it. */
  private record Row(String id, Instant lastModified, boolean deleted, String raw, String unified) {}

  @FunctionalInterface
  private interface Shape {
    ObjectNode of(Row row) throws JsonProcessingException;
  }

  private Page page(TableDefinition table, List<String> scope, Instant modifiedAfter, String cursor, int pageSize, Shape shape) {
    String after = cursor == null ? null : ListQuery.decode(CURSOR_PREFIX, cursor);
    TableStatements sql = new TableStatements(destination.schema(), table);
    List<ObjectNode> records = new ArrayList<>();
    String lastId = null;
    boolean more = false;
    try (Connection conn = destination.open(); PreparedStatement ps = conn.prepareStatement(sql.pageById())) {
      int i = 1;
      for (String v : scope) ps.setString(i++, v);
      Timestamps.bind(ps, i++, modifiedAfter);
      Timestamps.bind(ps, i++, modifiedAfter);
      ps.setString(i++, after);
      ps.setString(i++, after);
      ps.setInt(i, pageSize + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (records.size() == pageSize) {
            more = true;
            break;
          }
          Row row = new Row(rs.getString(1), Timestamps.read(rs, 2), rs.getBoolean(3), rs.getString(4), rs.getString(5));
          lastId = row.id();
          records.add(shape.of(row));
        }
      }
    } catch (SQLException e) {
      // no sync (and no write) has made the table yet: there is nothing cached
      if (UNDEFINED_TABLE.equals(e.getSQLState())) return new Page(List.of(), null);
      throw new IllegalStateException("reading " + table.name() + " failed: " + e.getSQLState(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored row of " + table.name() + " is not JSON", e);
    }
    return new Page(records, more ? ListQuery.encode(CURSOR_PREFIX, lastId) : null);
  }
}
