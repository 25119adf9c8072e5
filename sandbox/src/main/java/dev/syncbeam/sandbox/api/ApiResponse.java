package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Arrays;

/** A response before it goes on the wire, so faults can delay, replace or truncate it. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

  public static ApiResponse json(int status, JsonNode body) {
    return new ApiResponse(status, "application/json;charset=UTF-8", Json.write(body).getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  public static ApiResponse text(int status, String body) {
    return new ApiResponse(status, "text/plain;charset=UTF-8", body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  public static ApiResponse csv(String body) {
    return new ApiResponse(200, "text/csv", body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, new byte[0], new LinkedHashMap<>());
  }

  public ApiResponse withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The first half of the body, still with a 200: what a proxy cutting a response short looks like to a client. */
  public ApiResponse truncated() {
    byte[] prefix = Arrays.copyOf(body, body.length / 2);
    return new ApiResponse(status, contentType, prefix, headers);
  }
}
