package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.Address;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.EmailAddress;
import dev.syncbeam.schemas.unified.PhoneNumber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unified record of a create or update, as the request gave it (already checked against the
 * unified model's types). Absent and null are different here: an absent field is not written at
 * all, a null one is cleared.
 */
public record UnifiedWrite(CommonObject object, ObjectNode fields) {
  public static final String CUSTOM_FIELDS = "custom_fields";

  public boolean has(String field) {
    return fields.has(field);
  }

  /** The field's text, or null when absent or null. */
  public String text(String field) {
    JsonNode v = fields.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The field as given (a number stays a number), or null when absent or null. */
  public JsonNode value(String field) {
    JsonNode v = fields.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public Instant instant(String field) {
    String s = text(field);
    return s == null ? null : Instant.parse(s);
  }

  public List<Address> addresses() {
    List<Address> out = new ArrayList<>();
    for (JsonNode a : list("addresses")) {
      out.add(new Address(part(a, "street_1"), part(a, "street_2"), part(a, "city"), part(a, "state"), part(a, "postal_code"),
          part(a, "country"), part(a, "address_type")));
    }
    return out;
  }

  public List<EmailAddress> emailAddresses() {
    List<EmailAddress> out = new ArrayList<>();
    for (JsonNode e : list("email_addresses")) out.add(new EmailAddress(part(e, "email_address"), part(e, "email_address_type")));
    return out;
  }

  public List<PhoneNumber> phoneNumbers() {
    List<PhoneNumber> out = new ArrayList<>();
    for (JsonNode p : list("phone_numbers")) out.add(new PhoneNumber(part(p, "phone_number"), part(p, "phone_number_type")));
    return out;
  }

  /** The first address of the type, or null when the list has none. */
  public Address address(String type) {
    return addresses().stream().filter(a -> type.equals(a.addressType())).findFirst().orElse(null);
  }

  /** The first email address of the type, or null. */
  public String email(String type) {
    return emailAddresses().stream().filter(e -> type.equals(e.emailAddressType())).map(EmailAddress::emailAddress).findFirst()
        .orElse(null);
  }

  /** The first phone number of the type, or null. */
  public String phone(String type) {
    return phoneNumbers().stream().filter(p -> type.equals(p.phoneNumberType())).map(PhoneNumber::phoneNumber).findFirst()
        .orElse(null);
  }

  /** Provider field names to values, in the order given; empty when absent. */
  public Map<String, JsonNode> customFields() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode c = fields.get(CUSTOM_FIELDS);
    if (c == null || !c.isObject()) return out;
    for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The unified fields present in the request, in its order. */
  public List<String> presentFields() {
    List<String> out = new ArrayList<>();
    fields.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private Iterable<JsonNode> list(String field) {
    JsonNode v = fields.get(field);
    return v == null || !v.isArray() ? List.of() : v;
  }

  private static String part(JsonNode entry, String field) {
    JsonNode v = entry.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
