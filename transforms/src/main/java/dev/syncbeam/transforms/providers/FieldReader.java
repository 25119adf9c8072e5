package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads provider values into the types of the crm_* columns by the unified model's general rules:
 * empty strings are NULL, and a value that will not parse (or does not fit the column) is NULL and
 * counted as a coercion. One reader serves one record, so {@link #coerced()} is that record's count.
 */
public final class FieldReader {
  private int coerced;

  /** How many values of this record became NULL because they would not parse. */
  public int coerced() {
    return coerced;
  }

  private static JsonNode value(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  @SuppressWarnings("unchecked")
  private <T> T coerce() {
    coerced++;
    return null;
  }

  /** Text of a scalar; NULL for absent, null, empty or a container. */
  public String text(JsonNode node, String field) {
    JsonNode v = value(node, field);
    if (v == null || v.isContainerNode()) return null;
    String s = v.asText();
    return s.isEmpty() ? null : s;
  }

  /** Non-null parts joined by one space, or NULL when none has a value. */
  public static String joined(String... parts) {
    String s = Arrays.stream(parts).filter(Objects::nonNull).map(String::trim).filter(p -> !p.isEmpty())
        .collect(Collectors.joining(" "));
    return s.isEmpty() ? null : s;
  }

  /** An {@code integer} column: whole numbers within int range; anything else is a coercion. */
  public Integer integer(JsonNode node, String field) {
    JsonNode v = value(node, field);
    if (v == null || (v.isTextual() && v.asText().isBlank())) return null;
    try {
      BigDecimal d = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
      if (d.stripTrailingZeros().scale() > 0) return coerce();
      return d.intValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return coerce();
    }
  }

  /** A {@code double precision} column, keeping decimals; non-finite values (1e400) are a coercion. */
  public Double decimal(JsonNode node, String field) {
    JsonNode v = value(node, field);
    if (v == null || (v.isTextual() && v.asText().isBlank())) return null;
    try {
      double d = v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().trim());
      if (!Double.isFinite(d)) return coerce();
      return d;
    } catch (NumberFormatException e) {
      return coerce();
    }
  }

  /** A timestamp column, in UTC; an impossible date (2024-13-45) is a coercion. */
  public Instant timestamp(JsonNode node, String field) {
    String s = text(node, field);
    if (s == null) return null;
    Instant t = Timestamps.parse(s);
    return t != null ? t : coerce();
  }

  /** A value of a closed set (e.g. a lifecycle stage); one the parser does not know (returns null for) is a coercion. */
  public <T> T oneOf(JsonNode node, String field, Function<String, T> parser) {
    String s = text(node, field);
    if (s == null) return null;
    T t = parser.apply(s);
    return t != null ? t : coerce();
  }

  /** A boolean column from true/false or "true"/"false"; NULL when absent. */
  public Boolean bool(JsonNode node, String field) {
    JsonNode v = value(node, field);
    if (v == null) return null;
    if (v.isBoolean()) return v.booleanValue();
    String s = v.asText().trim();
    if (s.isEmpty()) return null;
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    return coerce();
  }

  /** True only for a value that reads as true (a flag that is absent or unparseable is not set). */
  public boolean flag(JsonNode node, String field) {
    JsonNode v = value(node, field);
    if (v == null) return false;
    if (v.isBoolean()) return v.booleanValue();
    if (v.isNumber()) return v.intValue() != 0;
    return v.asText().trim().equalsIgnoreCase("true");
  }

  /**
   * The id inside a reference that is either an embedded object ({@code {"id": 1, "value": 1, ...}})
   * or the bare id, as Pipedrive writes owner and organization references.
   */
  public String reference(JsonNode node, String field, String idField) {
    JsonNode v = value(node, field);
    if (v == null) return null;
    if (v.isObject()) return text(v, idField);
    return v.isContainerNode() ? null : text(node, field);
  }
}
