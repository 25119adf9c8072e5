package dev.syncbeam.transforms.providers.salesforce;

import dev.syncbeam.transforms.providers.ProviderDescriptor;

/** Salesforce: REST and Bulk API 2.0 on the org's own instance URL (the config must name it), OAuth bearer tokens. */
public final class SalesforceProvider extends ProviderDescriptor.Parts {
  public SalesforceProvider() {
    super("salesforce", new SalesforceRecords(), new SalesforceApi(), new SalesforceCommonObjects(), new SalesforceWrites(), null,
        "https://login.salesforce.com/services/oauth2/token", AuthStyle.BEARER);
  }
}
