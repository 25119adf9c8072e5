package dev.syncbeam.transforms.providers.pipedrive;

import static dev.syncbeam.transforms.providers.ProviderRecords.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.providers.ProviderRecords;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Pipedrive v1 list pages ({@code data}); timestamps are zone-less UTC. Users carry
 * {@code modified} where other objects carry {@code update_time}.
 */
public final class PipedriveRecords implements ProviderRecords {

  private static final Set<String> KEY_FIELDS = Set.of("id", "update_time", "modified", "delete_time", "deleted", "is_archived");

  @Override public Set<String> keyFields() { return KEY_FIELDS; }

  @Override public List<JsonNode> recordsOfPage(JsonNode page) {
    return ProviderRecords.arrayField(page, "data", "Pipedrive v1");
  }

  @Override public String id(JsonNode record) {
    return text(record, "id");
  }

  private static String updated(JsonNode record) {
    String u = text(record, "update_time");
    return u != null ? u : text(record, "modified");
  }

  @Override public Instant lastModified(JsonNode record) {
    return Timestamps.max(Timestamps.parse(updated(record)), Timestamps.parse(text(record, "delete_time")));
  }

  @Override public boolean hasUnparseableTimestamp(JsonNode record) {
    return (updated(record) != null && Timestamps.parse(updated(record)) == null)
        || (text(record, "delete_time") != null && Timestamps.parse(text(record, "delete_time")) == null);
  }

  @Override public boolean deleted(JsonNode record) {
    return text(record, "delete_time") != null
        || ProviderRecords.truthy(record, "deleted")
        || ProviderRecords.truthy(record, "is_archived");
  }
}
