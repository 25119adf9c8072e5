package dev.syncbeam.sandbox.api.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.Field;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.SObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL subset of the contract: {@code SELECT f, ... FROM X [WHERE c AND c ...] [ORDER BY f [ASC|DESC], ...] [LIMIT n]}
 * where each condition compares a field with a datetime literal, a quoted string, a number,
 * true/false or null. Anything else is a MALFORMED_QUERY, as the real API would answer it.
 */
record Soql(SObject object, List<Field> fields, List<Condition> where, List<Order> orderBy, Integer limit) {
  private static final Pattern QUERY = Pattern.compile(
      "(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(.+?))?(?:\\s+LIMIT\\s+(\\d+))?\\s*$");
  private static final Pattern CONDITION = Pattern.compile("(?s)^\\s*(\\w+)\\s*(>=|<=|!=|=|>|<)\\s*(.+?)\\s*$");
  private static final Pattern DATETIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:?\\d{2})$");

  record Condition(Field field, String op, Object literal) {}

  record Order(Field field, boolean descending) {}

  static final class Malformed extends RuntimeException {
    final String errorCode;

    Malformed(String errorCode, String message) {
      super(message, null, false, false);
      this.errorCode = errorCode;
    }
  }

  static Soql parse(String q) {
    Matcher m = QUERY.matcher(q == null ? "" : q);
    if (!m.matches()) throw new Malformed("MALFORMED_QUERY", "unexpected token in: " + q);
    SObject o = SalesforceObjects.require(m.group(2));
    if (o == null) throw new Malformed("INVALID_TYPE", "sObject type '" + m.group(2) + "' is not supported.");
    List<Field> fields = new ArrayList<>();
    for (String name : m.group(1).split(",")) fields.add(field(o, name.trim()));
    List<Condition> where = new ArrayList<>();
    if (m.group(3) != null) {
      if (Pattern.compile("(?i)\\sOR\\s").matcher(m.group(3)).find()) throw new Malformed("MALFORMED_QUERY", "the sandbox supports AND only");
      for (String c : m.group(3).split("(?i)\\s+AND\\s+")) where.add(condition(o, c));
    }
    List<Order> order = new ArrayList<>();
    if (m.group(4) != null) {
      for (String part : m.group(4).split(",")) {
        String[] w = part.trim().split("\\s+");
        order.add(new Order(field(o, w[0]), w.length > 1 && w[1].equalsIgnoreCase("DESC")));
      }
    }
    return new Soql(o, List.copyOf(fields), where, order, m.group(5) == null ? null : Integer.valueOf(m.group(5)));
  }

  private static Field field(SObject o, String name) {
    Field f = o.field(name);
    if (f == null) throw new Malformed("INVALID_FIELD", "No such column '" + name + "' on entity '" + o.name() + "'.");
    return f;
  }

  private static Condition condition(SObject o, String text) {
    Matcher m = CONDITION.matcher(text);
    if (!m.matches()) throw new Malformed("MALFORMED_QUERY", "unexpected condition: " + text);
    String lit = m.group(3);
    Object value;
    if (lit.length() >= 2 && lit.startsWith("'") && lit.endsWith("'")) value = lit.substring(1, lit.length() - 1).replace("\\'", "'");
    else if (DATETIME.matcher(lit).matches()) value = OffsetDateTime.parse(lit.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2")).toInstant();
    else if (lit.equalsIgnoreCase("null")) value = null;
    else if (lit.equalsIgnoreCase("true") || lit.equalsIgnoreCase("false")) value = Boolean.valueOf(lit.toLowerCase(Locale.ROOT));
    else {
      try {
        value = Double.valueOf(lit);
      } catch (NumberFormatException e) {
        throw new Malformed("MALFORMED_QUERY", "unexpected literal: " + lit);
      }
    }
    return new Condition(field(o, m.group(1)), m.group(2), value);
  }

  boolean matches(ObjectNode r) {
    for (Condition c : where) {
      if (!matches(c, r.get(c.field().name()))) return false;
    }
    return true;
  }

  /** One condition against a field's value (null or missing: SQL semantics, only {@code = null} matches). */
  static boolean matches(Condition c, JsonNode v) {
    boolean isNull = v == null || v.isNull();
    if (c.literal() == null) return c.op().equals("=") == isNull;
    if (isNull) return false;
    int cmp = compare(c, v);
    return switch (c.op()) {
      case ">=" -> cmp >= 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      case "<" -> cmp < 0;
      case "=" -> cmp == 0;
      default -> cmp != 0;
    };
  }

  /** The value's order against the condition's (non-null) literal. */
  static int compare(Condition c, JsonNode v) {
    if (c.literal() instanceof Instant t) return WireTimestamps.parseSalesforce(v.asText()).compareTo(t);
    if (c.literal() instanceof Double d) return Double.compare(v.asDouble(), d);
    if (c.literal() instanceof Boolean b) return Boolean.compare(v.asBoolean(), b);
    return v.asText().compareTo((String) c.literal());
  }

  /** ORDER BY as given, nulls first (Salesforce's default for ASC); ties keep id order. */
  Comparator<ObjectNode> comparator() {
    Comparator<ObjectNode> c = (a, b) -> 0;
    for (Order o : orderBy) {
      Comparator<ObjectNode> one = (a, b) -> compare(a.get(o.field().name()), b.get(o.field().name()));
      c = c.thenComparing(o.descending() ? one.reversed() : one);
    }
    return c;
  }

  private static int compare(JsonNode a, JsonNode b) {
    boolean an = a == null || a.isNull(), bn = b == null || b.isNull();
    if (an || bn) return Boolean.compare(!an, !bn);
    if (a.isNumber() && b.isNumber()) return Double.compare(a.asDouble(), b.asDouble());
    return a.asText().compareTo(b.asText()); // Salesforce datetimes are all +0000, so text order is time order
  }
}
