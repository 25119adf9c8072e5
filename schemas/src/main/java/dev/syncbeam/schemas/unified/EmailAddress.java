package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code email_address_type} is primary, work or other. */
public record EmailAddress(String emailAddress, String emailAddressType) implements Serializable {
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("email_address", emailAddress);
    m.put("email_address_type", emailAddressType);
    return m;
  }

  /** The entries that have a value, in the given order (lists hold nothing empty). */
  public static List<EmailAddress> present(EmailAddress... entries) {
    return Arrays.stream(entries).filter(e -> e.emailAddress() != null).toList();
  }
}
