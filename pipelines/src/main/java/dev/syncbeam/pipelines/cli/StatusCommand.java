package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
import dev.syncbeam.schemas.bookkeeping.SyncStateTable;
import dev.syncbeam.pipelines.StreamSyncPipeline;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.schemas.bookkeeping.DeliveryStatus;
import dev.syncbeam.transforms.notify.WebhookOutbox;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.RunSchedule;
import dev.syncbeam.transforms.run.SyncLocks;
import dev.syncbeam.transforms.run.SyncState;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
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
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  @Mixin ConfigOption config;

  @Option(names = "--runs", description = "how many recent runs to show (default ${DEFAULT-VALUE})", defaultValue = "20")
  int runs;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.orDefault();
    try (ConnectedDestination dest = ConnectedDestination.open(cfg); Connection c = dest.destination().open()) {
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
      printSchedule(c, dest.destination().schema(), SyncDefinition.expand(cfg, List.of()));
      System.out.println();
      System.out.println("recent runs:");
      try (PreparedStatement ps = c.prepareStatement(new SyncRunsTable(schema).recent())) {
        ps.setInt(1, Math.max(1, runs));
        try (ResultSet rs = ps.executeQuery()) {
          TextTable.of(rs).print(System.out, 80);
        }
      }
      Map<DeliveryStatus, Long> deliveries = new WebhookOutbox(schema).counts(c);
      if (cfg.webhook() != null || deliveries.values().stream().anyMatch(n -> n > 0)) {
        System.out.println();
        System.out.println(WebhookOutbox.summary(deliveries) + (cfg.webhook() == null ? " (no webhook configured)"
            : " to " + cfg.webhook().describe()) + "; ./syncbeam webhooks lists the undelivered");
      }
      c.commit();
    }
    return 0;
  }

  /** Per configured sync: when `stream` runs it next, and whether a stream (or another run) holds it now. */
  private static void printSchedule(Connection c, String schema, List<SyncDefinition> syncs) throws SQLException {
    if (syncs.isEmpty()) return;
    RunLedger ledger = new RunLedger(schema);
    System.out.println();
    System.out.println("schedule (syncbeam stream):");
    System.out.printf("  %-40s %-8s %-22s %s%n", "sync", "period", "next due (UTC)", "held by");
    for (SyncDefinition def : syncs) {
      RunLedger.LatestRuns latest = ledger.latest(c, def.key());
      SyncState state = ledger.load(c, def.key());
      String next = state != null && state.paused() ? "paused"
          : latest.lastStart() == null || (state != null && state.forceFull()) ? "now"
          : CLOCK.format(RunSchedule.nextDue(latest.lastStart(), def.period(), latest.failuresInARow()))
              + (latest.failuresInARow() > 0 ? " (backoff)" : "");
      String holder = SyncLocks.holder(c, schema, def.key());
      String held = holder == null ? "-" : StreamSyncPipeline.LOCK_HOLDER.equals(holder) ? "served by stream" : "a sync run";
      System.out.printf("  %-40s %-8s %-22s %s%n", def.key().label(), def.period().toString().substring(2).toLowerCase(), next, held);
    }
  }
}
