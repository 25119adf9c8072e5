package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code email_address_type} is primary, work or other. */
public record EmailAddress(String emailAddress, String emailAddressType) implements Serializable {
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("email_address", emailAddress);
    m.put("email_address_type", emailAddressType);
    return m;
  }
}
