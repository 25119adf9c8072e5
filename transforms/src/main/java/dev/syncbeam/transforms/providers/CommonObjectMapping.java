package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * How one provider's records become unified common objects. Each provider package has one, named
 * by its {@link ProviderDescriptor}.
 */
public interface CommonObjectMapping extends Serializable {
  /** One common object as this provider fills it: from which provider object, by which mapping. */
  record ObjectMapping(String providerObject, SerializableFunction<Input, UnifiedRecord> mapper) implements Serializable {}

  /** The common objects this provider fills. */
  Map<CommonObject, ObjectMapping> objects();

  /** The provider object (as named in the extract and config) that feeds a common object, or null when there is none. */
  default String providerObject(CommonObject commonObject) {
    ObjectMapping m = objects().get(commonObject);
    return m == null ? null : m.providerObject();
  }

  /** The labels the mapping of this common object needs, from the lookup folders beside the objects; never throws. */
  default CommonLookups loadLookups(String extractRoot, CommonObject commonObject, Consumer<String> warnings) {
    return CommonLookups.NONE;
  }

  /** Maps one record; may throw on a record it cannot map (the caller dead-letters it). */
  default UnifiedRecord map(CommonObject commonObject, Input in) {
    ObjectMapping m = objects().get(commonObject);
    if (m == null) throw new IllegalArgumentException("no provider object feeds common object " + commonObject);
    return m.mapper().apply(in);
  }

  /** The provider record as crm_*.raw_data holds it; by default exactly as read. */
  default String rawData(CommonObject commonObject, JsonNode record, String payload, CommonLookups lookups) {
    return payload;
  }

  /**
   * One record to map, with what Normalize already derived from it: its id and last-modified time
   * (the same version the raw table holds; null when the record has none, its unparseable value
   * already counted), the sync's lookups and the coercion-counting reader.
   */
  record Input(JsonNode record, String id, Instant lastModified, CommonLookups lookups, FieldReader read) {
    /** last_modified_at: the record's modification time, or 1970-01-01 when it has none (the column is NOT NULL). */
    public Instant version() {
      return lastModified != null ? lastModified : Timestamps.EPOCH;
    }
  }
}
