package dev.syncbeam.transforms.providers.salesforce;

import static dev.syncbeam.transforms.providers.ProviderRecords.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.providers.ProviderRecords;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Salesforce REST query/queryAll pages ({@code records}) and Bulk CSV rows, where every value may be a string. */
public final class SalesforceRecords implements ProviderRecords {

  private static final Set<String> KEY_FIELDS = Set.of("Id", "SystemModstamp", "LastModifiedDate", "IsDeleted");

  @Override public Set<String> keyFields() { return KEY_FIELDS; }

  @Override public List<JsonNode> recordsOfPage(JsonNode page) {
    return ProviderRecords.arrayField(page, "records", "Salesforce query");
  }

  @Override public String id(JsonNode record) {
    return text(record, "Id");
  }

  /** SystemModstamp moves on every change, including system ones; LastModifiedDate is the fallback. */
  @Override public Instant lastModified(JsonNode record) {
    Instant t = Timestamps.parse(text(record, "SystemModstamp"));
    return t != null ? t : Timestamps.parse(text(record, "LastModifiedDate"));
  }

  @Override public boolean hasUnparseableTimestamp(JsonNode record) {
    return (text(record, "SystemModstamp") != null || text(record, "LastModifiedDate") != null) && lastModified(record) == null;
  }

  @Override public boolean deleted(JsonNode record) {
    return ProviderRecords.truthy(record, "IsDeleted");
  }

  @Override public boolean isCustomObjectName(String object) {
    return object.endsWith("__c");
  }
}
