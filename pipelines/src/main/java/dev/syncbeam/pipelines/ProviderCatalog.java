package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.providers.CommonObjectMappings;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.ProviderApis;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.hubspot.HubSpotApi;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveApi;
import dev.syncbeam.transforms.providers.salesforce.SalesforceApi;
import java.util.List;
import java.util.Map;

/**
 * What the config, the sync expansion and the pipeline assembly need to know about each provider,
 * asked of the transforms' provider classes in this one place only.
 */
public final class ProviderCatalog {
  /** The public API hosts; Salesforce has none: its base_url is the org's instance URL. */
  private static final Map<String, String> DEFAULT_BASE_URL = Map.of(
      "hubspot", "https://api.hubapi.com", "pipedrive", "https://api.pipedrive.com");
  private static final Map<String, String> DEFAULT_TOKEN_URL = Map.of(
      "salesforce", "https://login.salesforce.com/services/oauth2/token",
      "hubspot", "https://api.hubapi.com/oauth/v1/token",
      "pipedrive", "https://oauth.pipedrive.com/oauth/token");

  private ProviderCatalog() {}

  /** Fails for a provider SyncBeam does not know, naming those it does. */
  public static void requireKnown(String provider) {
    Providers.forName(provider);
  }

  /** The API root when the config gives none, or null where there is no public one. */
  public static String defaultBaseUrl(String provider) {
    return DEFAULT_BASE_URL.get(provider);
  }

  public static String defaultTokenUrl(String provider) {
    return DEFAULT_TOKEN_URL.get(provider);
  }

  /** Whether the provider authenticates with a personal API token besides OAuth access tokens. */
  public static boolean takesApiToken(String provider) {
    return provider.equals("pipedrive");
  }

  /** Whether the provider names the object as a custom one (Salesforce {@code *__c}), landing in custom_objects. */
  public static boolean isCustomObjectName(String provider, String object) {
    return Providers.forName(provider).isCustomObjectName(object);
  }

  public static boolean isCommonObject(String name) {
    return CommonObjectMappings.isCommonObject(name);
  }

  public static List<String> commonObjects() {
    return CommonObjectMappings.COMMON_OBJECTS;
  }

  /** The provider object that feeds the common object, or null when the provider has none (HubSpot leads). */
  public static String objectFeeding(String provider, String commonObject) {
    return CommonObjectMappings.forProvider(provider).providerObject(commonObject);
  }

  /** The provider's live-API reader with default settings; fails naming the provider if it has none. */
  public static ProviderApi liveApi(String provider) {
    return ProviderApis.forProvider(provider);
  }

  /** Every provider's live-API reader, with the page sizes and Bulk thresholds the options give. */
  public static Map<String, ProviderApi> apiReaders(SyncOptions options) {
    return Map.of(
        "salesforce", new SalesforceApi(options.getSalesforceBulkThreshold(), options.getSalesforceRecordsPerIdRange(),
            options.getSalesforceBulkChunkRecords()),
        "hubspot", new HubSpotApi(options.getHubspotPageSize()),
        "pipedrive", new PipedriveApi(options.getPipedrivePageSize()));
  }
}
