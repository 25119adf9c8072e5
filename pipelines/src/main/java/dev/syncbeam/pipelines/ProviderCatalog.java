package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.hubspot.HubSpotApi;
import dev.syncbeam.transforms.providers.pipedrive.PipedriveApi;
import dev.syncbeam.transforms.providers.salesforce.SalesforceApi;
import java.util.Map;

/**
 * The live-API readers tuned by {@link SyncOptions}: page sizes and Salesforce's Bulk thresholds
 * are options of particular providers, so this is the one place outside the provider packages that
 * knows which provider takes which. Everything else about a provider comes from its descriptor.
 */
public final class ProviderCatalog {
  private ProviderCatalog() {}

  /** Every provider's live-API reader, with the page sizes and Bulk thresholds the options give. */
  public static Map<String, ProviderApi<?>> apiReaders(SyncOptions options) {
    return Map.of(
        "salesforce", new SalesforceApi(options.getSalesforceBulkThreshold(), options.getSalesforceRecordsPerIdRange(),
            options.getSalesforceBulkChunkRecords()),
        "hubspot", new HubSpotApi(options.getHubspotPageSize()),
        "pipedrive", new PipedriveApi(options.getPipedrivePageSize()));
  }
}
