package dev.syncbeam.sandbox.api.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.ObjectTable;
import dev.syncbeam.sandbox.api.RecordView;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.salesforce.Soql.Condition;
import dev.syncbeam.sandbox.api.salesforce.Soql.Order;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * A parsed query over one object table, as a {@link RecordView}. Conditions on Id,
 * SystemModstamp/LastModifiedDate and IsDeleted, ordered by nothing, Id, or the modification
 * stamp (what readers send), become an index range over the seeded records, so a page costs its
 * size; any other query scans the table, which is exact but costs the table's size.
 */
final class SoqlReads {
  private SoqlReads() {}

  static RecordView run(ObjectTable table, Soql soql, boolean all) {
    Predicate<ObjectNode> matches = r -> (all || !r.path("IsDeleted").asBoolean(false)) && soql.matches(r);
    RecordView ranged = ranged(table, soql, all, matches);
    if (ranged != null) return soql.limit() == null ? ranged : ranged.limit(soql.limit());
    List<ObjectNode> rows = table.select(matches);
    rows.sort(soql.comparator());
    return RecordView.of(soql.limit() == null || soql.limit() >= rows.size() ? rows : rows.subList(0, soql.limit()));
  }

  private static RecordView ranged(ObjectTable table, Soql soql, boolean all, Predicate<ObjectNode> matches) {
    Boolean byModstamp = byModstamp(soql.orderBy());
    if (byModstamp == null) return null;
    long lo = 1, hi = table.seededCount();
    Deletion deletion = all ? Deletion.ANY : Deletion.LIVE;
    for (Condition c : soql.where()) {
      String field = c.field().name();
      if (field.equals("IsDeleted")) {
        if (!(c.literal() instanceof Boolean b) || !(c.op().equals("=") || c.op().equals("!="))) return null;
        boolean wantDeleted = b == c.op().equals("=");
        if (deletion == Deletion.ANY) deletion = wantDeleted ? Deletion.DELETED : Deletion.LIVE;
        else if (wantDeleted != (deletion == Deletion.DELETED)) hi = 0; // contradicts query's own live-only rule
        continue;
      }
      LongFunction<JsonNode> value = seededValue(table, field, c.literal());
      if (value == null) return null;
      switch (c.op()) {
        case ">=", ">" -> lo = Math.max(lo, table.firstSeededWhere(n -> Soql.matches(c, value.apply(n))));
        case "<=", "<" -> hi = Math.min(hi, table.lastSeededWhere(n -> Soql.matches(c, value.apply(n))));
        case "=" -> {
          lo = Math.max(lo, table.firstSeededWhere(n -> Soql.compare(c, value.apply(n)) >= 0));
          hi = Math.min(hi, table.lastSeededWhere(n -> Soql.compare(c, value.apply(n)) <= 0));
        }
        default -> {
          return null;
        }
      }
    }
    return byModstamp ? table.inModificationOrder(lo, hi, deletion, matches, soql.comparator()) : table.inIdOrder(lo, hi, deletion, matches);
  }

  /** A seeded record's value of a field that rises with the index; null for any other field or literal. */
  private static LongFunction<JsonNode> seededValue(ObjectTable table, String field, Object literal) {
    if (field.equals("Id") && literal instanceof String) return n -> TextNode.valueOf(table.seededId(n));
    boolean stamp = field.equals("SystemModstamp") || field.equals("LastModifiedDate");
    if (stamp && literal != null && !(literal instanceof Double) && !(literal instanceof Boolean)) {
      return n -> TextNode.valueOf(WireTimestamps.salesforce(table.seededModified(n)));
    }
    return null;
  }

  /** False: id order; true: modification-stamp order (ties by id); null: an order the index does not give. */
  private static Boolean byModstamp(List<Order> orderBy) {
    if (orderBy.isEmpty()) return false;
    Order first = orderBy.get(0);
    if (first.descending()) return null;
    String name = first.field().name();
    if (orderBy.size() == 1 && name.equals("Id")) return false;
    boolean stamp = name.equals("SystemModstamp") || name.equals("LastModifiedDate");
    if (!stamp) return null;
    if (orderBy.size() == 1) return true;
    Order second = orderBy.get(1);
    return orderBy.size() == 2 && second.field().name().equals("Id") && !second.descending() ? true : null;
  }
}
