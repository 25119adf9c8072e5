package dev.syncbeam.transforms.providers.hubspot;

import dev.syncbeam.transforms.providers.ProviderDescriptor;

/** HubSpot: CRM v3 on the public API host, with OAuth or private-app bearer tokens. */
public final class HubSpotProvider extends ProviderDescriptor.Parts {
  public HubSpotProvider() {
    super("hubspot", new HubSpotRecords(), new HubSpotApi(), new HubSpotCommonObjects(), new HubSpotWrites(), "https://api.hubapi.com",
        "https://api.hubapi.com/oauth/v1/token", AuthStyle.BEARER);
  }
}
