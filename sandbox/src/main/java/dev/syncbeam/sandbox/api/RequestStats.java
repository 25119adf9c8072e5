package dev.syncbeam.sandbox.api;

import java.util.Map;
import java.util.Set;

/**
 * What one (customer, provider) of the sandbox has served so far, as a snapshot.
 *
 * @param requests requests the emulator handled, by endpoint kind (over-limit refusals not included)
 * @param responseBytes body bytes sent, refusals included
 * @param rateLimited over-limit answers sent (the limiter's and injected 429 faults)
 * @param retriedTooEarly over-limit answers to requests that came before the wait an earlier refusal announced had passed
 * @param rateLimitedNotRetried refused requests that were never asked again successfully (a reader that lost a page)
 * @param fieldsRequested per object, every field a list, search or query asked for (HubSpot properties, the SOQL
 *     select list; Pipedrive, which cannot select fields, as "*")
 */
public record RequestStats(Map<EndpointKind, Long> requests, long responseBytes, long rateLimited, long retriedTooEarly,
                           long rateLimitedNotRetried, Map<String, Set<String>> fieldsRequested) {
  public RequestStats {
    requests = Map.copyOf(requests);
    fieldsRequested = Map.copyOf(fieldsRequested);
  }

  public long requests(EndpointKind kind) {
    return requests.getOrDefault(kind, 0L);
  }

  public long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  public Set<String> fieldsRequested(String object) {
    return fieldsRequested.getOrDefault(object, Set.of());
  }
}
