package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.SampleExtracts;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Embedded Postgres, a sample of all three providers: a full sync, then changes (updates, deletes) and an incremental sync.")
final class DemoCommand implements Callable<Integer> {
  static final String APP = "demo";
  static final Path DEMO_DIR = Path.of(".syncbeam", "demo");

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    Path initial = DEMO_DIR.resolve("initial").toAbsolutePath(), changes = DEMO_DIR.resolve("changes").toAbsolutePath();
    recreate(initial);
    recreate(changes);
    SampleExtracts.writeInitial(initial, SampleExtracts.DEMO, now);
    SampleExtracts.writeChanges(changes, SampleExtracts.DEMO, now);
    System.out.println("sample extracts (Salesforce, HubSpot, Pipedrive response pages) written to " + DEMO_DIR);

    SyncbeamConfig.Destination embedded = new SyncbeamConfig.Destination(null, "supaglue", null, null, null);
    try (ConnectedDestination dest = ConnectedDestination.open(embedded)) {
      SyncJob job = new SyncJob(dest.destination(), System.out);
      System.out.println("\n== 1. full sync of the initial extracts (" + dest.description() + ")");
      SyncJob.Result full = job.run(syncs(initial), true, new String[0]);
      RunReport.print(dest.destination(), full.runIds(), System.out);

      System.out.println("\n== 2. incremental sync of the changes: 5 contacts updated, 3 deleted, 1 account renamed, 1 deleted, per customer and provider");
      SyncJob.Result incremental = job.run(syncs(changes), false, new String[0]);
      RunReport.print(dest.destination(), incremental.runIds(), System.out);

      System.out.println("\n== 3. what landed (schema supaglue)");
      try (Connection c = dest.destination().open(); Statement st = c.createStatement()) {
        List<String> parts = new ArrayList<>();
        for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
          for (String object : SampleExtracts.objects(provider)) {
            String table = ObjectTables.standardTableName(provider, object);
            parts.add("SELECT '" + table + "' AS \"table\", count(*) AS rows, count(*) FILTER (WHERE NOT _supaglue_is_deleted) AS live,"
                + " count(*) FILTER (WHERE _supaglue_is_deleted) AS deleted, max(_supaglue_last_modified_at) AS newest_change"
                + " FROM supaglue." + table + " WHERE _supaglue_application_id = '" + APP + "'");
          }
        }
        for (String common : List.of("crm_accounts", "crm_contacts")) {
          parts.add("SELECT '" + common + "', count(*), count(*) FILTER (WHERE NOT is_deleted), count(*) FILTER (WHERE is_deleted),"
              + " max(last_modified_at) FROM supaglue." + common + " WHERE _supaglue_application_id = '" + APP + "'");
        }
        try (ResultSet rs = st.executeQuery(String.join(" UNION ALL ", parts))) {
          TextTable.of(rs).print(System.out, 60);
        }
        System.out.println("\none query over every CRM: contacts deleted at the provider, from crm_contacts:");
        try (ResultSet rs = st.executeQuery("SELECT _supaglue_customer_id AS customer, _supaglue_provider_name AS provider, id,"
            + " first_name, last_name, email_addresses->0->>'email_address' AS email, last_modified_at AS deleted_at"
            + " FROM supaglue.crm_contacts WHERE _supaglue_application_id = '" + APP + "' AND is_deleted ORDER BY 1, 2, 3")) {
          TextTable.of(rs).print(System.out, 60);
        }
        c.commit();
      }
      System.out.println("\nexplore: ./syncbeam status    ./syncbeam sql \"select first_name, last_name, email_addresses from crm_contacts limit 5\"    ./syncbeam sql \"select count(*) from hubspot_contacts\"");
      return full.allSucceeded() && incremental.allSucceeded() ? 0 : SyncbeamCli.EXIT_FAILED;
    }
  }

  private static List<SyncDefinition> syncs(Path root) {
    List<SyncDefinition> out = new ArrayList<>();
    for (String customer : SampleExtracts.CUSTOMERS) {
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        List<String> objects = SampleExtracts.objects(provider);
        for (int i = 0; i < objects.size(); i++) {
          String object = objects.get(i);
          // the sample's objects are accounts and contacts: each lands raw and unified (crm_*) from one read
          out.add(new SyncDefinition(new SyncKey(APP, provider, customer, object), root.resolve(customer).resolve(provider),
              ObjectTables.standardTableName(provider, object), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
              .withCommonObject(i == 0 ? "accounts" : "contacts"));
        }
      }
    }
    return out;
  }

  private static void recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    Files.createDirectories(dir);
  }
}
