package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one provider writes unified common objects (the actions API), and reads one record back the
 * way its sync reads it. Each provider package has one, named by its {@link ProviderDescriptor}.
 * Mapping refusals are {@link WriteRefusedException}s thrown before any request is sent; refusals
 * by the provider are {@link dev.syncbeam.transforms.providers.http.ApiException}s.
 */
public interface CommonObjectWrites extends Serializable {
  /**
   * The unified fields this provider writes for the object ({@code custom_fields} included);
   * empty when it cannot write the object at all. A request's other fields are ignored.
   */
  Set<String> writableFields(CommonObject object);

  /** Creates the record at the provider and returns its new id. */
  String create(CommonObject object, UnifiedWrite record, ApiClient client) throws IOException;

  /** Sends the same fields as a create, to the record's id. */
  void update(CommonObject object, String id, UnifiedWrite record, ApiClient client) throws IOException;

  /**
   * One record of a provider object (as named in the config: {@code Contact}, {@code contacts},
   * {@code persons}, {@code Invoice__c}) as the sync's listing returns it (same fields, same
   * shape), so it maps and lands exactly as a sync's copy of it would. An {@code ApiException}
   * with status 404 when there is none.
   */
  JsonNode readRecord(String object, String id, ApiClient client) throws IOException;

  /** One page of a live listing: the records as the sync's listing returns them, and the provider's cursor of the next page (null on the last). */
  record LivePage(List<JsonNode> records, String next) {}

  /** One page of the object's live records, from {@code cursor} (null: the first page), at most {@code pageSize}. */
  LivePage listPage(String object, String cursor, int pageSize, ApiClient client) throws IOException;

  /** Creates a provider-native record ({@code fields} in the provider's own names, sent as given); returns its id. */
  String createRecord(String object, ObjectNode fields, ApiClient client) throws IOException;

  /** Updates a provider-native record with {@code fields} as given. */
  void updateRecord(String object, String id, ObjectNode fields, ApiClient client) throws IOException;

  /**
   * The unified keys a live record of the object can be found by at this provider ({@code email},
   * {@code domain}, {@code website}); empty when it cannot be searched.
   */
  default Set<String> matchKeys(CommonObject object) {
    return Set.of();
  }

  /**
   * Ids of the live records whose key equals {@code value}, as the provider's own search finds
   * them (a few at most; an upsert refuses more than one).
   */
  default List<String> find(CommonObject object, String key, String value, ApiClient client) throws IOException {
    throw new WriteRefusedException("records of " + object.value() + " cannot be searched by " + key + " here");
  }

  /** The provider's name for a common object it writes ({@code names}), or the refusal of one it does not. */
  static String writtenAs(Map<CommonObject, String> names, String provider, CommonObject object) {
    String name = names.get(object);
    if (name == null) throw notWritable(provider, object);
    return name;
  }

  /** Refuses a common object the provider has no writes for. */
  static WriteRefusedException notWritable(String provider, CommonObject object) {
    return new WriteRefusedException(provider + " does not support writing " + object.value());
  }
}
