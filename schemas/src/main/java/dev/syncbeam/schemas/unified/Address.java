package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One postal address; {@code address_type} is primary, billing, mailing, other or shipping. */
public record Address(String street1, String street2, String city, String state, String postalCode, String country,
    String addressType) implements Serializable {

  /** Lists keep only addresses that have a value. */
  public boolean hasValue() {
    return Stream.of(street1, street2, city, state, postalCode, country).anyMatch(v -> v != null);
  }

  /** As {@code addresses} entries are written in crm_* tables and the unified API. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("street_1", street1);
    m.put("street_2", street2);
    m.put("city", city);
    m.put("state", state);
    m.put("postal_code", postalCode);
    m.put("country", country);
    m.put("address_type", addressType);
    return m;
  }

  /** The entries that have a value, in the given order (lists hold nothing empty). */
  public static List<Address> present(Address... entries) {
    return Arrays.stream(entries).filter(e -> e.hasValue()).toList();
  }
}
