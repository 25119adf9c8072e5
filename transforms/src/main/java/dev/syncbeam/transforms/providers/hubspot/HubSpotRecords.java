package dev.syncbeam.transforms.providers.hubspot;

import static dev.syncbeam.transforms.providers.ProviderRecords.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.providers.ProviderRecords;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** HubSpot CRM v3 list/search pages ({@code results}) of {@code {id, properties, createdAt, updatedAt, archived, archivedAt}}. */
public final class HubSpotRecords implements ProviderRecords {

  private static final Set<String> KEY_FIELDS = Set.of("id", "updatedAt", "archivedAt", "archived");

  @Override public Set<String> keyFields() { return KEY_FIELDS; }

  @Override public List<JsonNode> recordsOfPage(JsonNode page) {
    return ProviderRecords.arrayField(page, "results", "HubSpot CRM v3");
  }

  @Override public String id(JsonNode record) {
    return text(record, "id");
  }

  /** Archiving does not always move updatedAt, so an archive is a modification too. */
  @Override public Instant lastModified(JsonNode record) {
    return Timestamps.max(Timestamps.parse(text(record, "updatedAt")), Timestamps.parse(text(record, "archivedAt")));
  }

  @Override public boolean hasUnparseableTimestamp(JsonNode record) {
    return (text(record, "updatedAt") != null && Timestamps.parse(text(record, "updatedAt")) == null)
        || (text(record, "archivedAt") != null && Timestamps.parse(text(record, "archivedAt")) == null);
  }

  @Override public boolean deleted(JsonNode record) {
    return ProviderRecords.truthy(record, "archived");
  }
}
