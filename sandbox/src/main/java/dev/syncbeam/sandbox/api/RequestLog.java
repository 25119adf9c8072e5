package dev.syncbeam.sandbox.api;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The running counters behind {@link RequestStats}, one per tenant. */
final class RequestLog {
  private final Map<EndpointKind, Long> requests = new EnumMap<>(EndpointKind.class);
  private final Map<String, Set<String>> fields = new TreeMap<>();
  /** Refused requests (method, path, query, body) not yet answered with a success. */
  private final Set<String> awaitingRetry = new HashSet<>();
  private long bytes;
  private long rateLimited;
  private long retriedTooEarly;
  private Instant announcedRetryAt = Instant.MIN;

  synchronized void served(EndpointKind kind, String signature, int status, int bodyBytes) {
    requests.merge(kind, 1L, Long::sum);
    bytes += bodyBytes;
    if (status / 100 == 2) awaitingRetry.remove(signature);
  }

  synchronized void refused(String signature, int bodyBytes, Instant now, Instant retryAt) {
    rateLimited++;
    bytes += bodyBytes;
    if (now.isBefore(announcedRetryAt)) retriedTooEarly++;
    if (retryAt != null && retryAt.isAfter(announcedRetryAt)) announcedRetryAt = retryAt;
    awaitingRetry.add(signature);
  }

  synchronized void fields(String object, List<String> names) {
    fields.computeIfAbsent(object, o -> new TreeSet<>()).addAll(names);
  }

  /** Starts the counters over, so a test can tell what one run asked for. */
  synchronized void reset() {
    requests.clear();
    fields.clear();
    awaitingRetry.clear();
    bytes = 0;
    rateLimited = 0;
    retriedTooEarly = 0;
    announcedRetryAt = Instant.MIN;
  }

  synchronized RequestStats snapshot() {
    Map<String, Set<String>> f = new TreeMap<>();
    fields.forEach((k, v) -> f.put(k, Set.copyOf(v)));
    return new RequestStats(requests, bytes, rateLimited, retriedTooEarly, awaitingRetry.size(), f);
  }
}
