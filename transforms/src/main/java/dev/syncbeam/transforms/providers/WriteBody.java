package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A provider request body built from a unified write by the general rules: a field absent from
 * the request is not sent; a list that is present sends every provider field it feeds, {@code ''}
 * where the list has no such entry (that clears it); custom fields go last, verbatim.
 */
public final class WriteBody {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final UnifiedWrite record;
  private final ObjectNode body = NODES.objectNode();
  private final boolean stringsOnly;

  private WriteBody(UnifiedWrite record, boolean stringsOnly) {
    this.record = record;
    this.stringsOnly = stringsOnly;
  }

  /** Values keep their JSON types; null clears. */
  public static WriteBody typed(UnifiedWrite record) {
    return new WriteBody(record, false);
  }

  /** Every value a string, null as {@code ''} (HubSpot properties). */
  public static WriteBody strings(UnifiedWrite record) {
    return new WriteBody(record, true);
  }

  /** {@code providerField} ← the unified field, when the request has it. */
  public WriteBody field(String providerField, String unifiedField) {
    if (record.has(unifiedField)) put(providerField, record.value(unifiedField));
    return this;
  }

  /** {@code providerField} ← a value taken from the list, when the request has the list ({@code ''} for no entry). */
  public WriteBody fromList(String listField, String providerField, String valueOrNull) {
    if (record.has(listField)) body.put(providerField, valueOrNull == null ? "" : valueOrNull);
    return this;
  }

  /** Sets a value as given (null clears). */
  public WriteBody put(String providerField, JsonNode value) {
    if (value == null || value.isNull()) {
      if (stringsOnly) body.put(providerField, "");
      else body.putNull(providerField);
    } else if (stringsOnly && !value.isTextual()) {
      body.put(providerField, value.asText());
    } else {
      body.set(providerField, value);
    }
    return this;
  }

  public WriteBody put(String providerField, String value) {
    return put(providerField, value == null ? null : NODES.textNode(value));
  }

  public boolean has(String providerField) {
    return body.has(providerField);
  }

  /** The body with the request's custom fields last, so they can set any field. */
  public ObjectNode withCustomFields() {
    for (Map.Entry<String, JsonNode> e : record.customFields().entrySet()) put(e.getKey(), e.getValue());
    return body;
  }

  /** The body without custom fields (a provider that maps them itself). */
  public ObjectNode body() {
    return body;
  }
}
