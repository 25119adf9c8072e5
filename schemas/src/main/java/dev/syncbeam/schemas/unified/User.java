package dev.syncbeam.schemas.unified;

import java.util.LinkedHashMap;
import java.util.Map;

public record User(RecordMeta meta, String name, String email, Boolean isActive) implements UnifiedRecord {
  @Override public CommonObject commonObject() { return CommonObject.USERS; }

  @Override public Map<String, Object> objectFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("email", email);
    m.put("is_active", isActive);
    return m;
  }
}
