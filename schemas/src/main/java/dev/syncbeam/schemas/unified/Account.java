package dev.syncbeam.schemas.unified;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public record Account(RecordMeta meta, String name, String description, String industry, String website,
    Integer numberOfEmployees, List<Address> addresses, List<PhoneNumber> phoneNumbers, Instant lastActivityAt,
    LifecycleStage lifecycleStage, String ownerId) implements UnifiedRecord {

  public Account {
    addresses = List.copyOf(addresses);
    phoneNumbers = List.copyOf(phoneNumbers);
  }

  @Override public CommonObject commonObject() { return CommonObject.ACCOUNTS; }

  @Override public Map<String, Object> objectFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("description", description);
    m.put("industry", industry);
    m.put("website", website);
    m.put("number_of_employees", numberOfEmployees);
    m.put("addresses", addresses);
    m.put("phone_numbers", phoneNumbers);
    m.put("last_activity_at", lastActivityAt);
    m.put("lifecycle_stage", lifecycleStage);
    m.put("owner_id", ownerId);
    return m;
  }
}
