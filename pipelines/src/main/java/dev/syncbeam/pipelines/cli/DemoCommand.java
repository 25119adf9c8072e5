package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SandboxSources;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Embedded Postgres and local emulators of Salesforce, HubSpot and Pipedrive: a full sync over HTTP,"
    + " updates and deletions made through the providers' APIs, an incremental sync, and what landed.")
final class DemoCommand implements Callable<Integer> {
  static final String APP = "demo";
  static final List<String> CUSTOMERS = List.of("acme", "globex");
  /** provider → (provider object, common object) pairs the demo syncs. */
  static final Map<String, List<String[]>> OBJECTS = Map.of(
      "salesforce", List.of(new String[] {"Account", "accounts"}, new String[] {"Contact", "contacts"}, new String[] {"Opportunity", "opportunities"}),
      "hubspot", List.of(new String[] {"companies", "accounts"}, new String[] {"contacts", "contacts"}, new String[] {"deals", "opportunities"}),
      "pipedrive", List.of(new String[] {"organizations", "accounts"}, new String[] {"persons", "contacts"}, new String[] {"deals", "opportunities"}));

  @Override
  public Integer call() throws Exception {
    try (SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(CUSTOMERS).withRecordsPerObject(50).withPageSize(100));
         ConnectedDestination dest = ConnectedDestination.open(SyncbeamConfig.Destination.embeddedDefault())) {
      System.out.println("provider emulators (Salesforce, HubSpot, Pipedrive) on http://127.0.0.1:" + crm.port()
          + " for customers " + String.join(", ", CUSTOMERS) + "; destination: " + dest.description());
      forgetEarlierDemo(dest.destination());
      List<SyncDefinition> syncs = syncs(crm);
      SyncJob job = new SyncJob(dest.destination(), System.out);

      System.out.println("\n== 1. full sync over HTTP (raw tables and crm_* from the same reads)");
      SyncJob.Result full = job.run(syncs, true, new String[0]);
      RunReport.print(dest.destination(), full.runIds(), System.out);

      System.out.println("\n== 2. changes made through the providers' APIs, per customer: 3 contacts renamed and 2 deleted in each CRM");
      for (String customer : CUSTOMERS) changeContacts(crm, customer);

      System.out.println("\n== 3. incremental sync over HTTP");
      SyncJob.Result incremental = job.run(syncs, false, new String[0]);
      RunReport.print(dest.destination(), incremental.runIds(), System.out);

      System.out.println("\n== 4. what landed (schema supaglue, application " + APP + ")");
      printLanded(dest.destination());
      System.out.println("\nexplore: ./syncbeam status    ./syncbeam sql \"select first_name, last_name, email_addresses from crm_contacts limit 5\""
          + "    ./syncbeam sandbox (the emulators, standing)");
      return full.allSucceeded() && incremental.allSucceeded() ? 0 : SyncbeamCli.EXIT_FAILED;
    }
  }

  private static List<SyncDefinition> syncs(SandboxServer crm) {
    List<SyncDefinition> out = new ArrayList<>();
    for (String customer : CUSTOMERS) {
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        SandboxCredentials c = crm.credentials(customer, provider);
        ApiSource api = SandboxSources.of(c, ApiSource.DEFAULT_MAX_ATTEMPTS, 200);
        for (String[] object : OBJECTS.get(provider)) {
          out.add(new SyncDefinition(new SyncKey(APP, provider, customer, object[0]), null,
              ObjectTables.standardTableName(provider, object[0]), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
              .withCommonObject(object[1]).withApi(api));
        }
      }
    }
    return out;
  }

  /** Through each provider's own write API, as an application would: renames, then deletions. */
  private static void changeContacts(SandboxServer crm, String customer) throws Exception {
    for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
      SandboxCredentials c = crm.credentials(customer, provider);
      ApiClient api = new ApiClient(provider, SandboxSources.of(c, 3, 200));
      String object = OBJECTS.get(provider).get(1)[0];
      List<String> ids = crm.dataset().liveIds(customer, provider, object);
      for (int i = 0; i < 5; i++) {
        String id = ids.get(i);
        switch (provider) {
          case "salesforce" -> {
            if (i < 3) api.patchJson("/services/data/v59.0/sobjects/Contact/" + id, Map.of("FirstName", "Renamed" + i));
            else api.delete("/services/data/v59.0/sobjects/Contact/" + id);
          }
          case "hubspot" -> {
            if (i < 3) api.patchJson("/crm/v3/objects/contacts/" + id, Map.of("properties", Map.of("firstname", "Renamed" + i)));
            else api.delete("/crm/v3/objects/contacts/" + id);
          }
          default -> {
            if (i < 3) api.putJson("/v1/persons/" + id, Map.of("first_name", "Renamed" + i, "name", "Renamed" + i + " Person"));
            else api.delete("/v1/persons/" + id);
          }
        }
      }
      System.out.printf("  %-8s %-10s renamed %s, deleted %s%n", customer, provider, ids.subList(0, 3), ids.subList(3, 5));
    }
  }

  /** The demo's own rows and sync state, so every demo starts from an empty destination and a fresh sample. */
  private static void forgetEarlierDemo(PostgresDestination dest) throws Exception {
    try (Connection c = dest.open()) {
      SchemaMigrator.standard().migrate(c, dest.schema());
      List<String> tables = new ArrayList<>(List.of("crm_accounts", "crm_contacts", "crm_opportunities"));
      OBJECTS.forEach((provider, objects) -> objects.forEach(o -> tables.add(ObjectTables.standardTableName(provider, o[0]))));
      for (String t : tables) {
        if (dev.syncbeam.schemas.Ddl.existingColumns(c, dest.schema(), t).isEmpty()) continue;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dev.syncbeam.schemas.SqlIdentifiers.qualified(dest.schema(), t)
            + " WHERE " + ObjectTables.APPLICATION_ID + " = ?")) {
          ps.setString(1, APP);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(new SyncStateTable(dest.schema()).deleteApplication())) {
        ps.setString(1, APP);
        ps.executeUpdate();
      }
      c.commit();
    }
  }

  private static void printLanded(PostgresDestination dest) throws Exception {
    try (Connection c = dest.open(); Statement st = c.createStatement()) {
      List<String> parts = new ArrayList<>();
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        for (String[] object : OBJECTS.get(provider)) {
          String table = ObjectTables.standardTableName(provider, object[0]);
          parts.add("SELECT '" + table + "' AS \"table\", count(*) AS rows, count(*) FILTER (WHERE NOT _supaglue_is_deleted) AS live,"
              + " count(*) FILTER (WHERE _supaglue_is_deleted) AS deleted FROM supaglue." + table
              + " WHERE _supaglue_application_id = '" + APP + "'");
        }
      }
      for (String common : List.of("crm_accounts", "crm_contacts", "crm_opportunities")) {
        parts.add("SELECT '" + common + "', count(*), count(*) FILTER (WHERE NOT is_deleted), count(*) FILTER (WHERE is_deleted)"
            + " FROM supaglue." + common + " WHERE _supaglue_application_id = '" + APP + "'");
      }
      try (ResultSet rs = st.executeQuery(String.join(" UNION ALL ", parts))) {
        TextTable.of(rs).print(System.out, 60);
      }
      System.out.println("\none query over every CRM: the contacts changed through the APIs, from crm_contacts:");
      try (ResultSet rs = st.executeQuery("SELECT _supaglue_customer_id AS customer, _supaglue_provider_name AS provider, id,"
          + " first_name, last_name, email_addresses->0->>'email_address' AS email, is_deleted, account_id"
          + " FROM supaglue.crm_contacts WHERE _supaglue_application_id = '" + APP + "' AND (is_deleted OR first_name LIKE 'Renamed%')"
          + " ORDER BY 1, 2, 3")) {
        TextTable.of(rs).print(System.out, 40);
      }
      c.commit();
    }
  }
}
