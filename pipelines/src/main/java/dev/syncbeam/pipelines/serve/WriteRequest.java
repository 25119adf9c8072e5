package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.UnifiedWrite;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A create or update body, {@code {"record": {...}}}, checked before anything is sent: not JSON is
 * 400 BAD_REQUEST; a key the unified model lacks or a wrong type is 400 VALIDATION_ERROR naming
 * the field. Fields the provider cannot write are left out of the record and named in warnings.
 */
record WriteRequest(UnifiedWrite record, List<Warning> warnings) {
  /** The request body as a JSON object; not JSON (or not an object) is 400 BAD_REQUEST. */
  static JsonNode body(Context ctx) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw ServeError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) throw ServeError.badRequest("the request body must be a JSON object");
    return body;
  }

  /** Refuses a top-level key other than {@code allowed}, naming it. */
  static void onlyKeys(JsonNode body, Set<String> allowed) {
    for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!allowed.contains(key)) throw ServeError.validation(key + ": not a field of the request (expected " + String.join(", ", allowed) + ")");
    }
  }

  static WriteRequest parse(Context ctx, CommonObject object, String provider) {
    JsonNode body = body(ctx);
    onlyKeys(body, Set.of("record"));
    return of(body, object, provider);
  }

  /** The body's {@code record}, checked against the unified model, without the fields the provider cannot write. */
  static WriteRequest of(JsonNode body, CommonObject object, String provider) {
    JsonNode record = body.get("record");
    if (record == null) throw ServeError.validation("record: required");
    UnifiedRecordSchema.of(object).validate(record);
    Set<String> writable = Providers.get(provider).writes().writableFields(object);
    ObjectNode kept = Json.MAPPER.createObjectNode();
    List<Warning> warnings = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (writable.contains(e.getKey())) kept.set(e.getKey(), e.getValue());
      else warnings.add(Warning.ignoredField(e.getKey(), provider, object.value()));
    }
    return new WriteRequest(new UnifiedWrite(object, kept), List.copyOf(warnings));
  }
}
