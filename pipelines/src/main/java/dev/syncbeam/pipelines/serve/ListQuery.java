package dev.syncbeam.pipelines.serve;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of a list: {@code read_from_cache=true} (a live list is not built yet: 501),
 * {@code modified_after}, {@code page_size} (1-1000, default 10), {@code cursor}; and the answer's shape.
 */
record ListQuery(Instant modifiedAfter, int pageSize, String cursor) {
  static ListQuery of(Context ctx) {
    if (!"true".equals(ctx.queryParam("read_from_cache"))) {
      throw ServeError.of(ErrorCode.NOT_IMPLEMENTED_ERROR, "listing live from the provider is not supported yet; pass read_from_cache=true");
    }
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
    return new ListQuery(modifiedAfter, pageSize, ctx.queryParam("cursor"));
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
