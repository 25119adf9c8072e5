package dev.syncbeam.transforms.providers;

import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.transforms.providers.hubspot.HubSpotCommonObjects;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveCommonObjects;
import dev.syncbeam.transforms.providers.salesforce.SalesforceCommonObjects;
import java.util.List;
import java.util.Map;

/** The common-object mapping of each provider. Adding a provider means adding a package and a line here. */
public final class CommonObjectMappings {
  private static final Map<String, CommonObjectMapping> BY_PROVIDER = Map.of(
      "salesforce", new SalesforceCommonObjects(),
      "hubspot", new HubSpotCommonObjects(),
      "pipedrive", new PipedriveCommonObjects());

  /** The common objects, in the order DESIGN.md lists them. */
  public static final List<String> COMMON_OBJECTS = List.of("accounts", "contacts", "leads", "opportunities", "users");

  private CommonObjectMappings() {}

  public static CommonObjectMapping forProvider(String provider) {
    CommonObjectMapping m = BY_PROVIDER.get(provider);
    if (m == null) throw new IllegalArgumentException("provider '" + provider + "' has no common-object mapping");
    return m;
  }

  public static boolean isCommonObject(String name) {
    return ObjectTables.COMMON_OBJECT_COLUMNS.containsKey(name);
  }
}
