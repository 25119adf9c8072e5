package dev.syncbeam.pipelines;

import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.transforms.model.ApiSource;

/** The live-API source of one sandbox account, authenticated the way the real provider would be. */
public final class SandboxSources {
  private SandboxSources() {}

  /** Bearer token for Salesforce and HubSpot, API token for Pipedrive; refresh credentials for all. */
  public static ApiSource of(SandboxCredentials c, int maxAttempts, long backoffMillis) {
    boolean pipedrive = c.provider().equals("pipedrive");
    return new ApiSource(c.baseUrl(), pipedrive ? null : c.accessToken(), pipedrive ? c.apiToken() : null, c.refreshToken(),
        c.clientId(), c.clientSecret(), c.tokenUrl(), maxAttempts, backoffMillis);
  }
}
