package dev.syncbeam.sandbox.api;

import java.time.Duration;

/**
 * The provider limits the emulators enforce, per tenant (portal, API token, org) as the providers
 * do. {@link #real()} holds the published figures; tests may shrink them to reach a limit quickly.
 *
 * @param hubspotPerTenSeconds HubSpot requests per rolling 10 seconds (OAuth apps: 100)
 * @param hubspotSearchPerSecond HubSpot CRM search requests per second (4), counted apart
 * @param pipedrivePerTwoSeconds Pipedrive requests per rolling 2 seconds per api_token (Professional plan: 80)
 * @param salesforceConcurrentLongRequests Salesforce requests that may run at once past {@code salesforceLongRequest} (production: 25)
 * @param salesforceLongRequest how long a Salesforce request runs before it counts as long-running (20 seconds)
 */
public record RateLimits(boolean enforced, int hubspotPerTenSeconds, int hubspotSearchPerSecond, int pipedrivePerTwoSeconds,
                         int salesforceConcurrentLongRequests, Duration salesforceLongRequest) {
  public static RateLimits off() {
    return new RateLimits(false, 0, 0, 0, 0, Duration.ZERO);
  }

  public static RateLimits real() {
    return new RateLimits(true, 100, 4, 80, 25, Duration.ofSeconds(20));
  }
}
