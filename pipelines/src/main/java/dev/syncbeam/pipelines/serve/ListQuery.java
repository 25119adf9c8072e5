package dev.syncbeam.pipelines.serve;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of a list: {@code read_from_cache=true} (else one page live from the provider),
 * {@code modified_after} (cached lists only), {@code page_size} (1-1000, default 10),
 * {@code cursor}; and the answer's shape.
 */
record ListQuery(boolean fromCache, Instant modifiedAfter, int pageSize, String cursor) {
  private static final String LIVE_PREFIX = "live:";

  static ListQuery of(Context ctx) {
    boolean fromCache = "true".equals(ctx.queryParam("read_from_cache"));
    Instant modifiedAfter = null;
    String modified = ctx.queryParam("modified_after");
    if (modified != null) {
      try {
        modifiedAfter = Instant.parse(modified);
      } catch (DateTimeParseException e) {
        throw ServeError.validation("modified_after: must be an ISO-8601 timestamp");
      }
    }
    int pageSize = CachedRecords.DEFAULT_PAGE_SIZE;
    String size = ctx.queryParam("page_size");
    if (size != null) {
      try {
        pageSize = Integer.parseInt(size);
      } catch (NumberFormatException e) {
        pageSize = -1;
      }
      if (pageSize < 1 || pageSize > CachedRecords.MAX_PAGE_SIZE) {
        throw ServeError.validation("page_size: must be a whole number from 1 to " + CachedRecords.MAX_PAGE_SIZE);
      }
    }
    if (!fromCache && modifiedAfter != null) throw ServeError.validation("modified_after: only with read_from_cache=true");
    return new ListQuery(fromCache, modifiedAfter, pageSize, ctx.queryParam("cursor"));
  }

  /** The provider's own cursor a live list's {@code cursor} carries; null for the first page. */
  String liveCursor() {
    return cursor == null ? null : decode(LIVE_PREFIX, cursor);
  }

  /** The {@code next} of a live page: the provider's cursor, made opaque. */
  static String live(String providerCursor) {
    return providerCursor == null ? null : encode(LIVE_PREFIX, providerCursor);
  }

  /** Cursors are opaque to callers: a kind and a position, base64url. */
  static String encode(String prefix, String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + position).getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String prefix, String cursor) {
    String position = positionOf(prefix, cursor);
    if (position == null) throw ServeError.validation("cursor: not a cursor this service issued for this list");
    return position;
  }

  /** The position a cursor of this kind holds, or null when it is not one this service issued. */
  static String positionOf(String prefix, String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith(prefix)) return s.substring(prefix.length());
    } catch (IllegalArgumentException e) {
      // not base64: not ours either
    }
    return null;
  }

  /** Supaglue's list answer: {@code {"pagination":{"next","previous"},"records":[...]}}. */
  static Map<String, Object> answer(List<?> records, String next) {
    Map<String, Object> pagination = new LinkedHashMap<>();
    pagination.put("next", next);
    pagination.put("previous", null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pagination", pagination);
    body.put("records", records);
    return body;
  }
}
