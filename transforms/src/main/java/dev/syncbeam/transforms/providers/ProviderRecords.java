package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;

/**
 * How one provider shapes its records: where records sit in a response page, and which fields hold
 * the id, the last-modified time and the deleted flag.
 */
public interface ProviderRecords extends Serializable {
  /** The top-level fields {@link #id}, {@link #lastModified} and {@link #deleted} read; nothing else is needed to land a raw row. */
  Set<String> keyFields();

  /** The records of one API response page; throws {@link IllegalArgumentException} naming what is missing. */
  List<JsonNode> recordsOfPage(JsonNode page);

  /** The record's id as text, or null when it has none. */
  String id(JsonNode record);

  /** The record's last modification, or null when it has none; {@link #hasUnparseableTimestamp} tells the two apart. */
  Instant lastModified(JsonNode record);

  /**
   * For reads the provider cannot filter server-side: whether the record changed at or after
   * {@code since}. A record with no known modification time is kept, since an extra upsert is
   * harmless and a missed change is not.
   */
  default boolean modifiedAtOrAfter(JsonNode record, Instant since) {
    Instant t = lastModified(record);
    return t == null || !t.isBefore(since);
  }

  /** True when a timestamp field is present but will not parse (the run counts it as a coercion). */
  boolean hasUnparseableTimestamp(JsonNode record);

  boolean deleted(JsonNode record);

  /** Whether a configured object of this provider is a custom object by its name alone (Salesforce {@code __c}). */
  default boolean isCustomObjectName(String object) {
    return false;
  }

  // ---- small helpers shared by the providers ----

  static String text(JsonNode record, String field) {
    JsonNode v = record.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) return null;
    String s = v.asText();
    return s.isEmpty() ? null : s;
  }

  static boolean truthy(JsonNode record, String field) {
    JsonNode v = record.get(field);
    if (v == null || v.isNull()) return false;
    if (v.isBoolean()) return v.booleanValue();
    if (v.isNumber()) return v.intValue() != 0;
    return v.asText().equalsIgnoreCase("true");
  }

  static List<JsonNode> arrayField(JsonNode page, String field, String provider) {
    if (page.isArray()) return list(page);
    JsonNode arr = page.get(field);
    if (arr == null) {
      throw new IllegalArgumentException("not a " + provider + " response page: no \"" + field + "\" array");
    }
    if (arr.isNull()) return List.of();
    if (!arr.isArray()) throw new IllegalArgumentException("\"" + field + "\" is not an array");
    return list(arr);
  }

  private static List<JsonNode> list(JsonNode arr) {
    ArrayList<JsonNode> out = new ArrayList<>(arr.size());
    arr.forEach(out::add);
    return out;
  }
}
