package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SandboxSources;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Embedded Postgres and local emulators of Salesforce, HubSpot and Pipedrive: a full sync over HTTP,"
    + " updates and deletions made at the providers, an incremental sync, and what landed.")
final class DemoCommand implements Callable<Integer> {
  static final String APP = "demo";
  static final List<String> CUSTOMERS = List.of("acme", "globex");
  static final List<String> PROVIDERS = List.of("salesforce", "hubspot", "pipedrive");
  /** What the demo syncs of each provider: the provider objects behind these common objects. */
  static final List<CommonObject> COMMON = List.of(CommonObject.ACCOUNTS, CommonObject.CONTACTS, CommonObject.OPPORTUNITIES);

  private static String providerObject(String provider, CommonObject common) {
    return Providers.get(provider).commonObjects().providerObject(common);
  }

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

      System.out.println("\n== 2. changes at the providers, per customer: 3 contacts renamed and 2 deleted in each CRM");
      for (String customer : CUSTOMERS) changeContacts(crm, customer);

      System.out.println("\n== 3. incremental sync over HTTP");
      SyncJob.Result incremental = job.run(syncs, false, new String[0]);
      RunReport.print(dest.destination(), incremental.runIds(), System.out);

      System.out.println("\n== 4. what landed (schema " + dest.destination().schema() + ", application " + APP + ")");
      printLanded(dest.destination());
      System.out.println("\nexplore: ./syncbeam status    ./syncbeam sql \"select first_name, last_name, email_addresses from crm_contacts limit 5\""
          + "    ./syncbeam sandbox (the emulators, standing)");
      return full.allSucceeded() && incremental.allSucceeded() ? 0 : SyncbeamCli.EXIT_FAILED;
    }
  }

  private static List<SyncDefinition> syncs(SandboxServer crm) {
    List<SyncDefinition> out = new ArrayList<>();
    for (String customer : CUSTOMERS) {
      for (String provider : PROVIDERS) {
        SandboxCredentials c = crm.credentials(customer, provider);
        ApiSource api = SandboxSources.of(c, ApiSource.DEFAULT_MAX_ATTEMPTS, 200);
        for (CommonObject common : COMMON) {
          String object = providerObject(provider, common);
          out.add(new SyncDefinition(new SyncKey(APP, provider, customer, object), null,
              ObjectTables.standardTableName(provider, object), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
              .withCommonObject(common).withApi(api));
        }
      }
    }
    return out;
  }

  /** At each provider, through the emulator's own write path (what its API applies): renames, then deletions. */
  private static void changeContacts(SandboxServer crm, String customer) {
    for (String provider : PROVIDERS) {
      String object = providerObject(provider, CommonObject.CONTACTS);
      List<String> ids = crm.dataset().liveIds(customer, provider, object);
      for (int i = 0; i < 3; i++) crm.dataset().renamePerson(customer, provider, object, ids.get(i), "Renamed" + i);
      for (int i = 3; i < 5; i++) crm.dataset().delete(customer, provider, object, ids.get(i));
      System.out.printf("  %-8s %-10s renamed %s, deleted %s%n", customer, provider, ids.subList(0, 3), ids.subList(3, 5));
    }
  }

  /** The demo's own rows and sync state, so every demo starts from an empty destination and a fresh sample. */
  private static void forgetEarlierDemo(PostgresDestination dest) throws Exception {
    try (Connection c = dest.open()) {
      SchemaMigrator.standard().migrate(c, dest.schema());
      for (String t : tables()) {
        if (Ddl.existingColumns(c, dest.schema(), t).isEmpty()) continue;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SqlIdentifiers.qualified(dest.schema(), t)
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

  /** The raw tables of the demo's provider objects, then their crm_* tables. */
  private static List<String> tables() {
    List<String> tables = new ArrayList<>();
    for (String provider : PROVIDERS) {
      for (CommonObject common : COMMON) tables.add(ObjectTables.standardTableName(provider, providerObject(provider, common)));
    }
    for (CommonObject common : COMMON) tables.add(common.table());
    return tables;
  }

  private static void printLanded(PostgresDestination dest) throws Exception {
    try (Connection c = dest.open(); Statement st = c.createStatement()) {
      List<String> parts = new ArrayList<>();
      for (String table : tables()) {
        TableDefinition def = ObjectTables.forTableName(table);
        String deleted = SqlIdentifiers.quote(def.deletedColumn());
        parts.add("SELECT " + SqlIdentifiers.literal(table) + " AS \"table\", count(*) AS rows, count(*) FILTER (WHERE NOT " + deleted
            + ") AS live, count(*) FILTER (WHERE " + deleted + ") AS deleted FROM " + SqlIdentifiers.qualified(dest.schema(), table)
            + " WHERE " + ObjectTables.APPLICATION_ID + " = " + SqlIdentifiers.literal(APP));
      }
      try (ResultSet rs = st.executeQuery(String.join(" UNION ALL ", parts))) {
        TextTable.of(rs).print(System.out, 60);
      }
      System.out.println("\none query over every CRM: the contacts changed through the APIs, from crm_contacts:");
      try (ResultSet rs = st.executeQuery("SELECT _supaglue_customer_id AS customer, _supaglue_provider_name AS provider, id,"
          + " first_name, last_name, email_addresses->0->>'email_address' AS email, is_deleted, account_id"
          + " FROM " + SqlIdentifiers.qualified(dest.schema(), CommonObject.CONTACTS.table())
          + " WHERE _supaglue_application_id = " + SqlIdentifiers.literal(APP) + " AND (is_deleted OR first_name LIKE 'Renamed%')"
          + " ORDER BY 1, 2, 3")) {
        TextTable.of(rs).print(System.out, 40);
      }
      c.commit();
    }
  }
}
