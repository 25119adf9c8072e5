package dev.syncbeam.schemas.unified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.Column;
import dev.syncbeam.schemas.ContentHash;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes a unified record for its {@code crm_*} table: the typed row values in column order (for
 * {@link dev.syncbeam.schemas.CopyText#line}) and the {@code _supaglue_unified_data} JSON. Both come
 * from {@link UnifiedRecord#objectFields()} and {@link RecordMeta}, so the JSON always agrees with
 * the typed columns.
 */
public final class UnifiedRows {
  public static final String UNIFIED_DATA = "_supaglue_unified_data";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private UnifiedRows() {}

  /** The whole unified record, snake_case, without raw_data; timestamps as ISO-8601 UTC. */
  public static ObjectNode unifiedData(UnifiedRecord r) {
    ObjectNode o = NODES.objectNode();
    RecordMeta m = r.meta();
    o.put("id", m.id());
    o.set("created_at", toJson(m.createdAt()));
    o.set("updated_at", toJson(m.updatedAt()));
    o.put("is_deleted", m.isDeleted());
    o.set("last_modified_at", toJson(m.lastModifiedAt()));
    r.objectFields().forEach((k, v) -> o.set(k, toJson(v)));
    return o;
  }

  public static String unifiedDataText(UnifiedRecord r) {
    try {
      return JSON.writeValueAsString(unifiedData(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The row for {@code table} (which must be the record's common-object table): jsonb as JSON text,
   * timestamps as Instants, enums as their stored text.
   */
  public static Object[] row(TableDefinition table, String applicationId, String provider, String customerId,
      Instant emittedAt, UnifiedRecord r, String rawData) {
    Object[] values = values(table, applicationId, provider, customerId, emittedAt, r, rawData);
    ContentHash.set(table, values);
    return values;
  }

  /** The COPY line of the row, hash included, each value escaped once (see {@link ContentHash#line}). */
  public static String line(TableDefinition table, String applicationId, String provider, String customerId,
      Instant emittedAt, UnifiedRecord r, String rawData) {
    return ContentHash.line(table, values(table, applicationId, provider, customerId, emittedAt, r, rawData));
  }

  /** The row's values with the hash column still empty. */
  private static Object[] values(TableDefinition table, String applicationId, String provider, String customerId,
      Instant emittedAt, UnifiedRecord r, String rawData) {
    if (!table.name().equals(r.commonObject().table())) {
      throw new IllegalArgumentException("a unified " + r.commonObject() + " record does not go to " + table.name());
    }
    Map<String, Object> fields = r.objectFields();
    RecordMeta m = r.meta();
    List<Column> cols = table.columns();
    Object[] values = new Object[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      String name = cols.get(i).name();
      values[i] = switch (name) {
        case ObjectTables.APPLICATION_ID -> applicationId;
        case ObjectTables.PROVIDER_NAME -> provider;
        case ObjectTables.CUSTOMER_ID -> customerId;
        case ObjectTables.EMITTED_AT -> emittedAt;
        case "id" -> m.id();
        case "created_at" -> m.createdAt();
        case "updated_at" -> m.updatedAt();
        case "is_deleted" -> m.isDeleted();
        case "last_modified_at" -> m.lastModifiedAt();
        case "raw_data" -> rawData;
        case UNIFIED_DATA -> unifiedDataText(r);
        case ObjectTables.SWEPT -> false;
        case ObjectTables.CONTENT_HASH -> null; // set below, from the other values
        default -> {
          if (!fields.containsKey(name)) {
            throw new IllegalStateException("unified " + r.commonObject() + " has no field for column " + name);
          }
          yield columnValue(fields.get(name));
        }
      };
    }
    return values;
  }

  private static Object columnValue(Object v) {
    if (v instanceof List<?> || v instanceof Map<?, ?>) return toJson(v).toString();
    if (v instanceof LifecycleStage s) return s.value();
    if (v instanceof Enum<?> e) return e.name();
    return v;
  }

  private static JsonNode toJson(Object v) {
    if (v == null) return NODES.nullNode();
    if (v instanceof String s) return NODES.textNode(s);
    if (v instanceof Boolean b) return NODES.booleanNode(b);
    if (v instanceof Integer n) return NODES.numberNode(n);
    if (v instanceof Double d) return NODES.numberNode(d);
    if (v instanceof Instant t) return NODES.textNode(t.toString());
    if (v instanceof LifecycleStage s) return NODES.textNode(s.value());
    if (v instanceof Enum<?> e) return NODES.textNode(e.name());
    if (v instanceof Address a) return toJson(a.fields());
    if (v instanceof PhoneNumber p) return toJson(p.fields());
    if (v instanceof EmailAddress e) return toJson(e.fields());
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      map.forEach((k, x) -> o.set(k.toString(), toJson(x)));
      return o;
    }
    if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(x -> a.add(toJson(x)));
      return a;
    }
    throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
  }
}
