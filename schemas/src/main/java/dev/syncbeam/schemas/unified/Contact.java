package dev.syncbeam.schemas.unified;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public record Contact(RecordMeta meta, String firstName, String lastName, List<Address> addresses,
    List<EmailAddress> emailAddresses, List<PhoneNumber> phoneNumbers, LifecycleStage lifecycleStage,
    String accountId, String ownerId, Instant lastActivityAt) implements UnifiedRecord {

  public Contact {
    addresses = List.copyOf(addresses);
    emailAddresses = List.copyOf(emailAddresses);
    phoneNumbers = List.copyOf(phoneNumbers);
  }

  @Override public CommonObject commonObject() { return CommonObject.CONTACTS; }

  @Override public Map<String, Object> objectFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first_name", firstName);
    m.put("last_name", lastName);
    m.put("addresses", addresses);
    m.put("email_addresses", emailAddresses);
    m.put("phone_numbers", phoneNumbers);
    m.put("lifecycle_stage", lifecycleStage);
    m.put("account_id", accountId);
    m.put("owner_id", ownerId);
    m.put("last_activity_at", lastActivityAt);
    return m;
  }
}
