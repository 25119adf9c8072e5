package dev.syncbeam.transforms.providers;

import dev.syncbeam.transforms.providers.hubspot.HubSpotApi;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveApi;
import dev.syncbeam.transforms.providers.salesforce.SalesforceApi;
import java.util.Map;
import java.util.TreeMap;

/** The live-API readers SyncBeam has, by provider. Adding one means adding a package and a line here. */
public final class ProviderApis {
  private static final Map<String, ProviderApi> BY_PROVIDER = new TreeMap<>(Map.of(
      "salesforce", new SalesforceApi(),
      "hubspot", new HubSpotApi(),
      "pipedrive", new PipedriveApi()));

  private ProviderApis() {}

  public static ProviderApi forProvider(String provider) {
    ProviderApi api = BY_PROVIDER.get(provider);
    if (api == null) {
      throw new IllegalArgumentException("live API reading is not available for provider '" + provider + "' (available: "
          + (BY_PROVIDER.isEmpty() ? "none" : String.join(", ", BY_PROVIDER.keySet())) + "); use source: { extract: DIR }");
    }
    return api;
  }

  public static boolean has(String provider) {
    return BY_PROVIDER.containsKey(provider);
  }
}
