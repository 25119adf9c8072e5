package dev.syncbeam.pipelines;

import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.ProviderDescriptor;
import dev.syncbeam.transforms.providers.Providers;

/** The live-API source of one sandbox account, authenticated the way the real provider would be. */
public final class SandboxSources {
  private SandboxSources() {}

  /** The credential the provider gives an account by default (a bearer token, or Pipedrive's API token), and refresh credentials. */
  public static ApiSource of(SandboxCredentials c, int maxAttempts, long backoffMillis) {
    boolean apiToken = Providers.get(c.provider()).authStyle() == ProviderDescriptor.AuthStyle.API_TOKEN;
    return new ApiSource(c.baseUrl(), apiToken ? null : c.accessToken(), apiToken ? c.apiToken() : null, c.refreshToken(),
        c.clientId(), c.clientSecret(), c.tokenUrl(), maxAttempts, backoffMillis);
  }
}
