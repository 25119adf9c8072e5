package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.unified.CommonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields a unified write body may hold, per common object, with their JSON types. A key the
 * unified model does not have is refused rather than dropped: a typo must not silently lose a value.
 */
final class UnifiedRecordSchema {
  enum Kind { STRING, INTEGER, NUMBER, INSTANT, ADDRESSES, EMAILS, PHONES, OBJECT }

  private static final Set<String> ADDRESS = Set.of("street_1", "street_2", "city", "state", "postal_code", "country", "address_type");
  private static final Set<String> EMAIL = Set.of("email_address", "email_address_type");
  private static final Set<String> PHONE = Set.of("phone_number", "phone_number_type");

  private final Map<String, Kind> fields;

  private UnifiedRecordSchema(Map<String, Kind> fields) {
    this.fields = fields;
  }

  static UnifiedRecordSchema of(CommonObject object) {
    Map<String, Kind> f = new LinkedHashMap<>();
    switch (object) {
      case ACCOUNTS -> {
        strings(f, "name", "description", "industry", "website", "lifecycle_stage", "owner_id");
        f.put("number_of_employees", Kind.INTEGER);
        f.put("addresses", Kind.ADDRESSES);
        f.put("phone_numbers", Kind.PHONES);
        f.put("last_activity_at", Kind.INSTANT);
      }
      case CONTACTS -> {
        strings(f, "first_name", "last_name", "lifecycle_stage", "account_id", "owner_id");
        f.put("addresses", Kind.ADDRESSES);
        f.put("email_addresses", Kind.EMAILS);
        f.put("phone_numbers", Kind.PHONES);
        f.put("last_activity_at", Kind.INSTANT);
      }
      case LEADS -> {
        strings(f, "lead_source", "title", "company", "first_name", "last_name", "converted_contact_id", "converted_account_id", "owner_id");
        f.put("addresses", Kind.ADDRESSES);
        f.put("email_addresses", Kind.EMAILS);
        f.put("phone_numbers", Kind.PHONES);
        f.put("converted_date", Kind.INSTANT);
      }
      case OPPORTUNITIES -> {
        strings(f, "name", "description", "stage", "status", "pipeline", "account_id", "owner_id");
        f.put("amount", Kind.NUMBER);
        f.put("close_date", Kind.INSTANT);
        f.put("last_activity_at", Kind.INSTANT);
      }
      default -> throw ServeError.badRequest(object.value() + " are read-only");
    }
    f.put("custom_fields", Kind.OBJECT);
    return new UnifiedRecordSchema(Map.copyOf(f));
  }

  private static void strings(Map<String, Kind> f, String... names) {
    for (String n : names) f.put(n, Kind.STRING);
  }

  /** Refuses the body with 400 VALIDATION_ERROR naming the first field at fault. */
  void validate(JsonNode record) {
    if (record == null || !record.isObject()) throw ServeError.validation("record: must be an object");
    for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Kind kind = fields.get(e.getKey());
      String at = "record." + e.getKey();
      if (kind == null) throw ServeError.validation(at + ": not a field of the unified model");
      if (!e.getValue().isNull()) check(at, kind, e.getValue());
    }
  }

  private static void check(String at, Kind kind, JsonNode v) {
    switch (kind) {
      case STRING -> require(v.isTextual(), at, "must be a string");
      case INTEGER -> require(v.isIntegralNumber() && v.canConvertToInt(), at, "must be a whole number");
      case NUMBER -> require(v.isNumber(), at, "must be a number");
      case INSTANT -> {
        require(v.isTextual(), at, "must be an ISO-8601 timestamp string");
        try {
          Instant.parse(v.asText());
        } catch (DateTimeParseException bad) {
          throw ServeError.validation(at + ": must be an ISO-8601 timestamp string");
        }
      }
      case OBJECT -> require(v.isObject(), at, "must be an object");
      case ADDRESSES -> entries(at, v, ADDRESS);
      case EMAILS -> entries(at, v, EMAIL);
      case PHONES -> entries(at, v, PHONE);
    }
  }

  private static void entries(String at, JsonNode v, Set<String> keys) {
    require(v.isArray(), at, "must be a list");
    for (int i = 0; i < v.size(); i++) {
      JsonNode entry = v.get(i);
      String here = at + "[" + i + "]";
      require(entry.isObject(), here, "must be an object");
      for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!keys.contains(e.getKey())) throw ServeError.validation(here + "." + e.getKey() + ": not a field of the unified model");
        require(e.getValue().isNull() || e.getValue().isTextual(), here + "." + e.getKey(), "must be a string");
      }
    }
  }

  private static void require(boolean ok, String at, String message) {
    if (!ok) throw ServeError.validation(at + ": " + message);
  }
}
