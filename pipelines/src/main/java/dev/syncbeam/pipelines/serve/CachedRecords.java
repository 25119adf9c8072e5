package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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

  Page page(CrmConnection c, CommonObject object, Instant modifiedAfter, String cursor, int pageSize, boolean withRawData) {
    String after = cursor == null ? null : decode(cursor);
    TableStatements sql = new TableStatements(destination.schema(), ObjectTables.common(object));
    List<ObjectNode> records = new ArrayList<>();
    String lastId = null;
    boolean more = false;
    try (Connection conn = destination.open(); PreparedStatement ps = conn.prepareStatement(sql.pageById())) {
      int i = 1;
      ps.setString(i++, applicationId);
      ps.setString(i++, c.provider());
      ps.setString(i++, c.customerId());
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
          ObjectNode record = (ObjectNode) Json.MAPPER.readTree(rs.getString(1));
          if (withRawData) record.set("raw_data", rs.getString(2) == null ? null : Json.MAPPER.readTree(rs.getString(2)));
          lastId = record.path("id").asText();
          records.add(record);
        }
      }
    } catch (SQLException e) {
      // no sync (and no write) has made the table yet: there is nothing cached
      if (UNDEFINED_TABLE.equals(e.getSQLState())) return new Page(List.of(), null);
      throw new IllegalStateException("reading " + object.table() + " failed: " + e.getSQLState(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored row of " + object.table() + " is not JSON", e);
    }
    return new Page(records, more ? encode(lastId) : null);
  }

  private static String encode(String lastId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith(CURSOR_PREFIX)) return s.substring(CURSOR_PREFIX.length());
    } catch (IllegalArgumentException e) {
      // not base64: refused below like any other cursor this service did not issue
    }
    throw ServeError.validation("cursor: not a cursor this service issued");
  }
}
