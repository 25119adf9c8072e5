package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Syncs and their recent runs.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--runs", description = "how many recent runs to show (default ${DEFAULT-VALUE})", defaultValue = "20")
  int runs;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.orDefault();
    try (ConnectedDestination dest = ConnectedDestination.open(cfg.destination()); Connection c = dest.destination().open()) {
      String schema = cfg.destination().schema();
      SchemaMigrator.standard().migrate(c, schema);
      String state = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_STATE);
      String runTable = SqlIdentifiers.qualified(schema, SyncbeamTables.SYNC_RUNS);
      try (Statement st = c.createStatement()) {
        System.out.println("syncs (" + dest.description() + ", schema " + schema + "):");
        try (ResultSet rs = st.executeQuery("SELECT application_id AS app, customer_id || '/' || provider_name || '/' || object_name AS sync,"
            + " strategy, phase, watermark, CASE WHEN paused THEN 'paused: ' || coalesce(paused_reason, '') ELSE '' END AS paused,"
            + " CASE WHEN force_full THEN 'yes' ELSE '' END AS full_refresh_requested FROM " + state
            + " ORDER BY application_id, customer_id, provider_name, object_name")) {
          TextTable.of(rs).print(System.out, 60);
        }
        System.out.println();
        System.out.println("recent runs:");
        try (ResultSet rs = st.executeQuery("SELECT run_id AS run, customer_id || '/' || provider_name || '/' || object_name AS sync,"
            + " strategy AS mode, status, started_at, round(extract(epoch FROM ended_at - started_at)::numeric, 1) AS seconds,"
            + " records_read AS read, records_written AS written, records_deleted AS swept, dead_letters,"
            + " coalesce(error, notes, '') AS message FROM " + runTable + " ORDER BY run_id DESC LIMIT " + Math.max(1, runs))) {
          TextTable.of(rs).print(System.out, 80);
        }
      }
      c.commit();
    }
    return 0;
  }
}
