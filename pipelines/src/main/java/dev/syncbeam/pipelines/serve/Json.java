package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the service: request bodies keep their types (no float read as an int). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);

  private Json() {}
}
