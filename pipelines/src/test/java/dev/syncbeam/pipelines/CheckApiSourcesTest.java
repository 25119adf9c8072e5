package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `syncbeam check` reaches each live provider with the configured credentials and says which one fails, and why. */
class CheckApiSourcesTest {
  @TempDir Path dir;

  @Test
  void checkProbesEveryApiSourceAndNamesTheOneThatFails() throws Exception {
    try (SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(java.util.List.of("acme")).withRecordsPerObject(5))) {
      SandboxCredentials sf = crm.credentials("acme", "salesforce"), hs = crm.credentials("acme", "hubspot"), pd = crm.credentials("acme", "pipedrive");
      String url = SharedTestPostgres.freshDatabase("check_api");
      Path config = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: app\n"
          + "destination: { url: \"" + url + "\", user: postgres, password: postgres }\n"
          + "syncs:\n"
          + "  - { customer_id: acme, provider: salesforce, standard_objects: [Account],"
          + " source: { api: { base_url: \"" + sf.baseUrl() + "\", token: \"" + sf.accessToken() + "\" } } }\n"
          + "  - { customer_id: acme, provider: hubspot, standard_objects: [contacts, owners, widgets],"
          + " source: { api: { base_url: \"" + hs.baseUrl() + "\", token: \"" + hs.accessToken() + "\" } } }\n"
          + "  - { customer_id: acme, provider: pipedrive, standard_objects: [persons],"
          + " source: { api: { base_url: \"" + pd.baseUrl() + "\", api_token: \"" + pd.apiToken() + "\" } } }\n");

      DestinationContractTest.CliRun first = DestinationContractTest.CliRun.of("check", "--config", config.toString());
      assertEquals(SyncbeamCli.EXIT_FAILED, first.status(), first.out() + first.err());
      for (String ok : new String[] {"acme/salesforce/Account", "acme/hubspot/contacts", "acme/hubspot/owners", "acme/pipedrive/persons"}) {
        assertTrue(first.out().contains("ok    " + ok + ":"), ok + " in\n" + first.out() + first.err());
      }
      assertTrue(first.out().contains("FAIL  acme/hubspot/widgets:"), first.out());

      crm.faults("acme", "hubspot").revokeCredentials();
      DestinationContractTest.CliRun revoked = DestinationContractTest.CliRun.of("check", "--config", config.toString());
      assertTrue(revoked.out().matches("(?s).*FAIL  acme/hubspot/contacts: .*401.*"), revoked.out());
      assertTrue(revoked.out().contains("ok    acme/salesforce/Account:"), revoked.out());
      for (String secret : new String[] {sf.accessToken(), hs.accessToken(), pd.apiToken()}) {
        assertFalse((first.out() + first.err() + revoked.out() + revoked.err()).contains(secret), "a token in check's output");
      }
    }
  }
}
