package dev.syncbeam.transforms.providers.pipedrive;

import dev.syncbeam.transforms.providers.ProviderDescriptor;

/** Pipedrive: v1 on the public API host, with personal API tokens (a query parameter) or OAuth bearer tokens. */
public final class PipedriveProvider extends ProviderDescriptor.Parts {
  public PipedriveProvider() {
    super("pipedrive", new PipedriveRecords(), new PipedriveApi(), new PipedriveCommonObjects(), new PipedriveWrites(), "https://api.pipedrive.com",
        "https://oauth.pipedrive.com/oauth/token", AuthStyle.API_TOKEN);
  }
}
