package dev.syncbeam.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as a provider API sees it: the method, the path below the (customer, provider) base
 * URL, decoded query parameters, the bearer token if any, and the body.
 */
public record ApiRequest(String method, String path, Map<String, String> query, String bearer, String body,
                         Map<String, String> headers) {

  public static Map<String, String> parseForm(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq), v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  public String param(String name, String fallback) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  public int intParam(String name, int fallback) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) return fallback;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ApiError(ApiResponse.text(400, "parameter " + name + " is not a number: " + v));
    }
  }

  /** Path segments below the base URL, e.g. {@code /crm/v3/objects/contacts} -> [crm, v3, objects, contacts]. */
  public String[] segments() {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.isEmpty() ? new String[0] : p.split("/");
  }

  public boolean is(String m) {
    return method.equalsIgnoreCase(m);
  }
}
