package dev.syncbeam.transforms.providers;

import dev.syncbeam.transforms.providers.hubspot.HubSpotRecords;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveRecords;
import dev.syncbeam.transforms.providers.salesforce.SalesforceRecords;
import java.util.Map;
import java.util.TreeMap;

/** The providers SyncBeam knows. Adding one means adding a package and a line here. */
public final class Providers {
  private static final Map<String, ProviderRecords> BY_NAME = new TreeMap<>(Map.of(
      "salesforce", new SalesforceRecords(),
      "hubspot", new HubSpotRecords(),
      "pipedrive", new PipedriveRecords()));

  private Providers() {}

  public static ProviderRecords forName(String name) {
    ProviderRecords p = name == null ? null : BY_NAME.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown provider '" + name + "' (expected one of " + String.join(", ", BY_NAME.keySet()) + ")");
    }
    return p;
  }

  public static boolean isKnown(String name) {
    return BY_NAME.containsKey(name);
  }
}
