package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code phone_number_type} is primary, mobile, fax or other. */
public record PhoneNumber(String phoneNumber, String phoneNumberType) implements Serializable {
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phone_number", phoneNumber);
    m.put("phone_number_type", phoneNumberType);
    return m;
  }

  /** The entries that have a value, in the given order (lists hold nothing empty). */
  public static List<PhoneNumber> present(PhoneNumber... entries) {
    return Arrays.stream(entries).filter(e -> e.phoneNumber() != null).toList();
  }
}
