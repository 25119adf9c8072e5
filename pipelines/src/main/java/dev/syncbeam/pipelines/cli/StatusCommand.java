package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.transforms.run.SyncLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
      // a run left in progress by a process that died must not look as if something still ran it
      for (long run : SyncLocks.recoverAbandoned(dest.destination())) {
        System.out.println("run " + run + " was left in progress by a process that stopped: recorded as abandoned");
      }
      System.out.println("syncs (" + dest.description() + ", schema " + schema + "):");
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(new SyncStateTable(schema).list())) {
        TextTable.of(rs).print(System.out, 60);
      }
      System.out.println();
      System.out.println("recent runs:");
      try (PreparedStatement ps = c.prepareStatement(new SyncRunsTable(schema).recent())) {
        ps.setInt(1, Math.max(1, runs));
        try (ResultSet rs = ps.executeQuery()) {
          TextTable.of(rs).print(System.out, 80);
        }
      }
      c.commit();
    }
    return 0;
  }
}
