package dev.syncbeam.transforms.run;

import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.FullRefreshSweep;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a run, per sync, once everything upstream has committed: totals the counts,
 * runs the full-refresh sweep, advances the watermark and records the run, all in one transaction.
 * A sync whose read failed is recorded as a failure and changes nothing else.
 */
public final class FinishRun extends PTransform<PCollectionList<KV<String, RunCounts>>, PCollection<KV<String, String>>> {
  private final SyncPlan plan;
  private final PostgresDestination destination;

  public FinishRun(SyncPlan plan, PostgresDestination destination) {
    this.plan = plan;
    this.destination = destination;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollectionList<KV<String, RunCounts>> parts) {
    KvCoder<String, RunCounts> coder = KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class));
    List<KV<String, RunCounts>> seeds = plan.syncs().stream().map(s -> KV.of(s.label(), RunCounts.ZERO)).toList();
    // every planned sync is finished, even one that read no records
    PCollection<KV<String, RunCounts>> seeded = parts.getPipeline().apply("EverySync", Create.of(seeds).withCoder(coder));
    return parts.and(seeded)
        .apply("AllCounts", Flatten.pCollections())
        .apply("TotalPerSync", Combine.perKey((SerializableBiFunction<RunCounts, RunCounts, RunCounts>) RunCounts::plus))
        .apply("SweepWatermarkAndRecord", ParDo.of(new FinishFn(plan, destination)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  static final class FinishFn extends DoFn<KV<String, RunCounts>, KV<String, String>> {
    private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);
    private final SyncPlan plan;
    private final PostgresDestination destination;
    private transient Connection conn;

    FinishFn(SyncPlan plan, PostgresDestination destination) {
      this.plan = plan;
      this.destination = destination;
    }

    @Setup
    public void setup() throws SQLException {
      conn = destination.open();
    }

    @ProcessElement
    public void process(@Element KV<String, RunCounts> totals, OutputReceiver<KV<String, String>> out) throws SQLException {
      PlannedSync sync = plan.get(totals.getKey());
      RunCounts counts = totals.getValue();
      RunLedger ledger = new RunLedger(destination.schema());
      try {
        if (counts.error() != null) {
          ledger.recordFailure(conn, sync.runId(), counts, counts.error());
          if (counts.pauseReason() != null) ledger.pause(conn, sync.key(), counts.pauseReason());
          conn.commit();
          LOG.warn("{}: run {} failed: {}", sync.label(), sync.runId(), counts.error());
          out.output(KV.of(sync.label(), RunLedger.FAILURE));
          return;
        }
        long deleted = 0;
        String notes = null;
        if (sync.mode() == RunMode.FULL) {
          if (counts.deadLettersWithoutId() > 0) {
            // an unreadable page may hold live records whose ids we cannot know: deleting by absence would be a guess
            notes = "full-refresh sweep skipped: " + counts.deadLettersWithoutId()
                + " unreadable pages or records without an id (see _syncbeam_dead_letters for run " + sync.runId() + ")";
            LOG.warn("{}: {}", sync.label(), notes);
          } else {
            for (String table : sync.tables()) deleted += FullRefreshSweep.sweep(conn, destination.schema(), sync, table);
          }
        }
        ledger.recordSuccess(conn, sync, counts, deleted, notes);
        conn.commit();
        out.output(KV.of(sync.label(), RunLedger.SUCCESS));
      } catch (SQLException e) {
        conn.rollback();
        throw e;
      }
    }

    @Teardown
    public void teardown() throws SQLException {
      if (conn != null) conn.close();
    }
  }
}
