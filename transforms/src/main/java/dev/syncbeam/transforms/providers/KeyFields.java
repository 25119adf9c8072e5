package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Reads only the top-level fields a provider needs for id, last-modified and deleted, skipping the
 * rest of the record without building it: the raw-table path never needs the whole tree. The
 * whole payload is still tokenized, so malformed JSON is caught here, before it reaches jsonb.
 */
public final class KeyFields {
  private KeyFields() {}

  /** The named top-level fields of a JSON object; throws {@link IOException} if the payload is not one valid JSON object. */
  public static ObjectNode read(ObjectMapper mapper, String payload, Set<String> fields) throws IOException {
    ObjectNode out = mapper.createObjectNode();
    try (JsonParser p = mapper.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new NotAnObjectException();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (fields.contains(name)) {
          JsonNode v = p.readValueAsTree();
          out.set(name, v);
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw new IOException("trailing content after the JSON object");
    }
    return out;
  }

  /**
   * The whole record, with the same checks as {@link #read}, for a sync that maps all of it (a
   * common object): one parse gives both its key fields and its mapping input, where a key scan
   * followed by a full parse tokenized every record twice.
   */
  public static ObjectNode readWhole(ObjectMapper mapper, String payload) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new NotAnObjectException();
      ObjectNode whole = p.readValueAsTree();
      if (p.nextToken() != null) throw new IOException("trailing content after the JSON object");
      return whole;
    }
  }

  /** The payload is valid JSON but not an object (an array, a number...). */
  public static final class NotAnObjectException extends IOException {
    public NotAnObjectException() {
      super("a record must be a JSON object");
    }
  }
}
