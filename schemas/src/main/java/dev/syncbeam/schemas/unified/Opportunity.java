package dev.syncbeam.schemas.unified;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

public record Opportunity(RecordMeta meta, String name, String description, Double amount, String stage,
    OpportunityStatus status, Instant closeDate, String pipeline, String accountId, String ownerId,
    Instant lastActivityAt) implements UnifiedRecord {

  @Override public CommonObject commonObject() { return CommonObject.OPPORTUNITIES; }

  @Override public Map<String, Object> objectFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("description", description);
    m.put("amount", amount);
    m.put("stage", stage);
    m.put("status", status);
    m.put("close_date", closeDate);
    m.put("pipeline", pipeline);
    m.put("account_id", accountId);
    m.put("owner_id", ownerId);
    m.put("last_activity_at", lastActivityAt);
    return m;
  }
}
