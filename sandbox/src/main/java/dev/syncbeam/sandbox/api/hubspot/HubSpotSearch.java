package dev.syncbeam.sandbox.api.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.ApiError;
import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.ObjectTable;
import dev.syncbeam.sandbox.api.RecordView;
import dev.syncbeam.sandbox.api.Tenant;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.hubspot.HubSpotSchema.ObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code POST /crm/v3/objects/{type}/search}: filter groups (OR of ANDed filters), one sort, offset
 * paging. Never returns archived records, and refuses {@code after >= 10000} with a 400 as the
 * real API does, so readers must re-anchor their filter rather than page past the cap.
 */
final class HubSpotSearch {
  static final int RESULT_CAP = 10_000;
  private static final int MAX_LIMIT = 200;

  private HubSpotSearch() {}

  static ApiResponse run(Tenant tenant, ObjectType type, JsonNode body, int sandboxMaxLimit) {
    ObjectTable table = tenant.table(type.name());
    int limit = Math.max(1, Math.min(body.path("limit").asInt(10), Math.min(MAX_LIMIT, Math.max(sandboxMaxLimit, 1))));
    int after = body.path("after").asInt(0);
    if (after + 0L >= RESULT_CAP) {
      throw new ApiError(ApiResponse.json(400, HubSpotEmulator.error("VALIDATION_ERROR",
          "There was a problem with the request. (after=" + after + " is beyond the 10000 search result limit)")));
    }
    RecordView rows = ranged(table, type, body);
    if (rows == null) {
      List<ObjectNode> all = table.select(r -> !r.get("archived").asBoolean() && matches(type, r, body.path("filterGroups")));
      all.sort(order(type, body.path("sorts")));
      rows = RecordView.of(all);
    }
    List<String> props = new ArrayList<>();
    body.path("properties").forEach(p -> props.add(p.asText()));
    tenant.requested(type.name(), props.isEmpty() ? type.defaultProperties() : props);
    ObjectNode out = Json.object().put("total", rows.size());
    ArrayNode results = out.putArray("results");
    int end = Math.min(rows.size(), after + limit);
    for (ObjectNode r : rows.page(Math.min(after, rows.size()), end - Math.min(after, rows.size()))) {
      results.add(HubSpotEmulator.visible(r, type, props.isEmpty() ? null : props, false));
    }
    if (end < rows.size()) out.putObject("paging").putObject("next").put("after", String.valueOf(end));
    return ApiResponse.json(200, out);
  }

  /**
   * Searches readers send (one group of filters on the modification property, sorted by it
   * ascending or not at all) as an index range over the seeded records; null for any other search.
   */
  private static RecordView ranged(ObjectTable table, ObjectType type, JsonNode body) {
    JsonNode groups = body.path("filterGroups"), sorts = body.path("sorts");
    Boolean byModified = sortedByModified(type, sorts);
    if (byModified == null || groups.size() > 1) return null;
    long lo = 1, hi = table.seededCount();
    for (JsonNode f : groups.path(0).path("filters")) {
      String name = f.path("propertyName").asText();
      if (!isModifiedProperty(type, name)) return null;
      switch (f.path("operator").asText("EQ")) {
        case "GTE", "GT" -> lo = Math.max(lo, table.firstSeededWhere(n -> test(type, stamped(name, table.seededModified(n)), f)));
        case "LTE", "LT" -> hi = Math.min(hi, table.lastSeededWhere(n -> test(type, stamped(name, table.seededModified(n)), f)));
        case "EQ" -> {
          JsonNode gte = ((ObjectNode) f.deepCopy()).put("operator", "GTE"), lte = ((ObjectNode) f.deepCopy()).put("operator", "LTE");
          lo = Math.max(lo, table.firstSeededWhere(n -> test(type, stamped(name, table.seededModified(n)), gte)));
          hi = Math.min(hi, table.lastSeededWhere(n -> test(type, stamped(name, table.seededModified(n)), lte)));
        }
        default -> {
          return null;
        }
      }
    }
    Predicate<ObjectNode> filter = r -> matches(type, r, groups);
    return byModified ? table.inModificationOrder(lo, hi, Deletion.LIVE, filter, order(type, sorts)) : table.inIdOrder(lo, hi, Deletion.LIVE, filter);
  }

  /** False: no sort (id order); true: the modification property ascending; null: any other sort. */
  private static Boolean sortedByModified(ObjectType type, JsonNode sorts) {
    if (sorts.isMissingNode() || sorts.isEmpty()) return false;
    if (sorts.size() > 1) return null;
    JsonNode s = sorts.get(0);
    String name = s.isTextual() ? s.asText() : s.path("propertyName").asText();
    return isModifiedProperty(type, name) && !"DESCENDING".equals(s.path("direction").asText()) ? true : null;
  }

  /** Every write stamps these with the modification time (contacts carry both names). */
  private static boolean isModifiedProperty(ObjectType type, String name) {
    return name.equals(type.modifiedProperty()) || (type.name().equals("contacts") && name.equals("hs_lastmodifieddate"));
  }

  private static ObjectNode stamped(String property, Instant t) {
    ObjectNode r = Json.object();
    r.putObject("properties").put(property, WireTimestamps.isoMillis(t));
    return r;
  }

  private static boolean matches(ObjectType type, ObjectNode r, JsonNode groups) {
    if (groups.isMissingNode() || groups.isEmpty()) return true;
    for (JsonNode g : groups) {
      boolean all = true;
      for (JsonNode f : g.path("filters")) all &= test(type, r, f);
      if (all) return true;
    }
    return false;
  }

  private static boolean test(ObjectType type, ObjectNode r, JsonNode filter) {
    String name = filter.path("propertyName").asText();
    String op = filter.path("operator").asText("EQ");
    JsonNode v = r.get("properties").get(name);
    boolean has = v != null && !v.isNull() && !v.asText().isEmpty();
    if (op.equals("HAS_PROPERTY")) return has;
    if (op.equals("NOT_HAS_PROPERTY")) return !has;
    if (!has) return op.equals("NEQ");
    int cmp = compare(type, name, v.asText(), filter.path("value").asText());
    return switch (op) {
      case "GTE" -> cmp >= 0;
      case "GT" -> cmp > 0;
      case "LTE" -> cmp <= 0;
      case "LT" -> cmp < 0;
      case "NEQ" -> cmp != 0;
      case "EQ" -> cmp == 0;
      default -> throw new ApiError(ApiResponse.json(400, HubSpotEmulator.error("VALIDATION_ERROR", "unsupported operator " + op)));
    };
  }

  /** Datetime properties compare as instants (filter values are epoch millis or ISO text), numbers as numbers. */
  private static int compare(ObjectType type, String property, String value, String filterValue) {
    String kind = type.properties().getOrDefault(property, "string");
    if (kind.equals("datetime")) return Long.compare(millis(value), millis(filterValue));
    if (kind.equals("number")) {
      try {
        return Double.compare(Double.parseDouble(value), Double.parseDouble(filterValue));
      } catch (NumberFormatException e) {
        return value.compareTo(filterValue);
      }
    }
    return value.compareTo(filterValue);
  }

  private static long millis(String v) {
    return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
  }

  /** The requested sort, then id, so equal sort keys still page deterministically. */
  private static Comparator<ObjectNode> order(ObjectType type, JsonNode sorts) {
    Comparator<ObjectNode> byId = Comparator.comparing(r -> r.get("id").asText(), ObjectTable.ID_ORDER);
    if (sorts.isMissingNode() || sorts.isEmpty()) return byId;
    JsonNode s = sorts.get(0);
    String name = s.isTextual() ? s.asText() : s.path("propertyName").asText();
    Comparator<ObjectNode> by = (a, b) -> {
      JsonNode x = a.get("properties").get(name), y = b.get("properties").get(name);
      boolean xn = x == null || x.isNull(), yn = y == null || y.isNull();
      if (xn || yn) return Boolean.compare(!xn, !yn);
      return compare(type, name, x.asText(), y.asText());
    };
    if ("DESCENDING".equals(s.path("direction").asText())) by = by.reversed();
    return by.thenComparing(byId);
  }
}
