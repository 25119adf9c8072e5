package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SyncOptions parse and are checked before any work, and each reaches the transform it configures. */
class SyncOptionsTest {
  @TempDir Path root;

  @Test
  void badOptionsAreRefusedInOneLineNamingTheOption() {
    String[][] cases = {
        {"--bogus=1", "unknown option --bogus"},
        {"--sinkBatchRows=0", "--sinkBatchRows=0: must be a positive number"},
        {"--extractSplitBytes=-5", "--extractSplitBytes=-5: must be a positive number"},
        {"--hubspotPageSize=101", "--hubspotPageSize=101: must be between 1 and 100"},
        {"--lockTimeoutSeconds=soon", "--lockTimeoutSeconds=soon: not a valid long"},
        {"--help=SyncOptions", "--help=SyncOptions"}};
    for (String[] c : cases) {
      InvalidOptionsException e = assertThrows(InvalidOptionsException.class, () -> SyncJob.pipelineOptions(new String[] {c[0]}), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void defaultsAreTheTransformsOwn() {
    SyncOptions o = SyncJob.pipelineOptions(new String[0]);
    assertEquals(ExtractLayout.SPLIT_BYTES, o.getExtractSplitBytes());
    assertEquals(PostgresDestination.DEFAULT_LOCK_TIMEOUT.toSeconds(), o.getLockTimeoutSeconds());
    assertEquals(PostgresDestination.DEFAULT_RECONNECT_WINDOW.toSeconds(), o.getReconnectWindowSeconds());
    assertEquals(WriteToPostgres.DEFAULT_BATCH_ROWS, o.getSinkBatchRows());
    assertEquals(WriteToPostgres.DEFAULT_BATCH_BYTES, o.getSinkBatchBytes());
  }

  @Test
  void pageSizesAndBulkThresholdsReachTheApiReaders() throws Exception {
    try (SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(30));
         RecordingProxy proxy = new RecordingProxy(crm.port())) {
      SyncHarness h = new SyncHarness("options_readers", root);
      List<SyncDefinition> syncs = new ArrayList<>();
      for (String[] po : new String[][] {{"hubspot", "contacts"}, {"pipedrive", "persons"}, {"salesforce", "Account"}}) {
        var credentials = crm.credentials("acme", po[0]);
        syncs.add(new SyncDefinition(new SyncKey(SyncHarness.APP, po[0], "acme", po[1]), null,
            ObjectTables.standardTableName(po[0], po[1]), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
            .withApi(SandboxSources.of(credentials, 3, 50).withBaseUrl(proxy.through(credentials.baseUrl()))));
      }
      List<String> args = new ArrayList<>(List.of(SyncHarness.CHECKED_DIRECT));
      args.addAll(List.of("--hubspotPageSize=7", "--pipedrivePageSize=9", "--salesforceBulkThreshold=10",
          "--salesforceBulkChunkRecords=4"));
      assertTrue(new SyncJob(h.destination, System.out).run(syncs, false, args.toArray(String[]::new)).allSucceeded());

      for (String[] pt : new String[][] {{"hubspot", "contacts", "hubspot_contacts"}, {"pipedrive", "persons", "pipedrive_persons"},
          {"salesforce", "Account", "salesforce_account"}}) {
        assertEquals(crm.dataset().liveIds("acme", pt[0], pt[1]).size(),
            h.count("SELECT count(*) FROM supaglue." + pt[2] + " WHERE NOT _supaglue_is_deleted"), pt[2]);
      }
      List<RecordingProxy.Request> hubspot = proxy.requests("GET", "/crm/v3/objects/contacts");
      assertTrue(hubspot.size() >= 30 / 7, "pages of 7: " + hubspot);
      hubspot.forEach(r -> assertEquals("7", r.q("limit"), r.toString()));
      List<RecordingProxy.Request> pipedrive = proxy.requests("GET", "/v1/persons");
      assertTrue(pipedrive.size() >= 30 / 9, "pages of 9: " + pipedrive);
      pipedrive.forEach(r -> assertEquals("9", r.q("limit"), r.toString()));
      // 30 records are above a threshold of 10: a Bulk queryAll job, its results read 4 at a time
      assertFalse(proxy.requests("POST", "/jobs/query").isEmpty(), "a Bulk job was created");
      List<RecordingProxy.Request> chunks = proxy.requests("GET", "/results");
      assertTrue(chunks.size() >= 30 / 4, "chunks of 4: " + chunks);
      chunks.forEach(r -> assertEquals("4", r.q("maxRecords"), r.toString()));
    }
  }
}
