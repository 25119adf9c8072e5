package dev.syncbeam.transforms.run;

import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.transforms.Normalize;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.postgres.DestinationSession;
import dev.syncbeam.transforms.postgres.FullRefreshSweep;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
 * A sync whose read failed, or that could not read every page, is recorded as a failure and changes
 * nothing else. The watermark never passes the run's start (plus clock skew): one record stamped in
 * the far future must not make every later incremental run skip everything.
 *
 * <p>The per-run total is the barrier: a Combine per run key fires once its window's input is
 * complete: in a batch when everything upstream is done, in a stream when the watermark passes the
 * tick's window, i.e. once every write of that tick's runs has committed. A stream passes its
 * planned runs in as zero counts, since the graph cannot list them when it is built.
 */
public final class FinishRun extends PTransform<PCollectionList<KV<String, RunCounts>>, PCollection<KV<String, String>>> {
  private final RunPlans plan;
  private final PostgresDestination destination;

  public FinishRun(RunPlans plan, PostgresDestination destination) {
    this.plan = plan;
    this.destination = destination;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollectionList<KV<String, RunCounts>> parts) {
    KvCoder<String, RunCounts> coder = KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class));
    PCollectionList<KV<String, RunCounts>> all = parts;
    if (plan.fixed() != null) {
      List<KV<String, RunCounts>> seeds = plan.fixed().syncs().stream().map(s -> KV.of(s.runKey(), RunCounts.ZERO)).toList();
      // every planned sync is finished, even one that read no records
      all = parts.and(parts.getPipeline().apply("EverySync", Create.of(seeds).withCoder(coder)));
    }
    return all
        .apply("AllCounts", Flatten.pCollections())
        .apply("TotalPerSync", Combine.perKey((SerializableBiFunction<RunCounts, RunCounts, RunCounts>) RunCounts::plus))
        .apply("SweepWatermarkAndRecord", ParDo.of(new FinishFn(plan, destination)).withSideInputs(plan.sideInputs()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  static final class FinishFn extends DoFn<KV<String, RunCounts>, KV<String, String>> {
    private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);
    private final RunPlans plan;
    private final PostgresDestination destination;
    private transient DestinationSession session;

    FinishFn(RunPlans plan, PostgresDestination destination) {
      this.plan = plan;
      this.destination = destination;
    }

    @Setup
    public void setup() {
      session = DestinationSession.of(destination);
    }

    @ProcessElement
    public void process(@Element KV<String, RunCounts> totals, OutputReceiver<KV<String, String>> out, ProcessContext context)
        throws SQLException {
      PlannedSync sync = plan.get(context, totals.getKey());
      RunStatus status = session.inTransaction("finishing run " + sync.runId() + " of " + sync.label(),
          c -> finish(c, sync, totals.getValue()));
      out.output(KV.of(sync.label(), status.name()));
    }

    /** One transaction: the run's row is locked first, so a run someone else ended is left alone. */
    private RunStatus finish(Connection c, PlannedSync sync, RunCounts counts) throws SQLException {
      RunLedger ledger = RunLedger.of(destination);
      RunStatus already = ledger.lockForEnd(c, sync.runId());
      if (already != RunStatus.IN_PROGRESS) {
        LOG.warn("{}: run {} was already ended ({}) while it ran, as stopped or abandoned: nothing swept, watermark kept",
            sync.label(), sync.runId(), already);
        return already;
      }
      if (counts.error() != null) {
        ledger.recordFailure(c, sync.runId(), counts, counts.error());
        if (counts.pauseReason() != null) ledger.pause(c, sync.key(), counts.pauseReason());
        LOG.warn("{}: run {} failed: {}", sync.label(), sync.runId(), counts.error());
        return RunStatus.FAILURE;
      }
      if (counts.unreadable() > 0) {
        // an unreadable page may hold live records whose ids we cannot know: deleting by absence, or
        // moving the watermark past them, would lose them
        String error = incomplete(sync, counts);
        ledger.recordFailure(c, sync.runId(), counts, error);
        LOG.warn("{}: run {}: {}", sync.label(), sync.runId(), error);
        return RunStatus.FAILURE;
      }
      long deleted = 0;
      String sweepSkipped = null;
      if (sync.sweeps() && counts.deadLettersWithoutId() > 0) {
        // a record without an id might be the live version of any unseen row: deleting by absence would be a guess
        sweepSkipped = "full-refresh sweep skipped: " + counts.deadLettersWithoutId() + " record(s) without an id"
            + " (in _syncbeam_dead_letters for run " + sync.runId() + ")";
      } else if (sync.sweeps()) {
        for (String table : sync.tables()) deleted += FullRefreshSweep.sweep(c, destination.schema(), sync, table);
      }
      Instant cap = sync.emittedAt().plus(Normalize.CLOCK_SKEW);
      Instant newest = counts.maxLastModifiedMillis() == RunCounts.NO_TIMESTAMP ? null
          : Instant.ofEpochMilli(counts.maxLastModifiedMillis());
      Instant watermark = newest == null || !newest.isAfter(cap) ? newest : cap;
      ledger.recordSuccess(c, sync, counts, deleted, watermark, notes(sweepSkipped, counts, cap));
      return RunStatus.SUCCESS;
    }

    private static String incomplete(PlannedSync sync, RunCounts counts) {
      String what = counts.unreadable() + " unreadable page(s) or record(s) (in _syncbeam_dead_letters for run "
          + sync.runId() + ")";
      return switch (sync.mode()) {
        case FULL -> "full refresh incomplete: " + what + ", sweep skipped; the next run is a full refresh again";
        case DELETE_CHECK -> "delete check incomplete: " + what + ", sweep skipped";
        case INCREMENTAL -> "incremental run incomplete: " + what + "; watermark kept, so the next run reads them again";
      };
    }

    /** What a successful run should tell its reader: records that could not be trusted or kept as they were. */
    private static String notes(String sweepSkipped, RunCounts counts, Instant cap) {
      List<String> notes = new ArrayList<>();
      if (sweepSkipped != null) notes.add(sweepSkipped);
      if (counts.futureStamped() > 0) {
        notes.add(counts.futureStamped() + " record(s) stamped in the future (latest " + Instant.ofEpochMilli(counts.maxFutureMillis())
            + "): written, but the watermark stops at " + cap);
      }
      if (counts.replacedUtf8() > 0) {
        notes.add(counts.replacedUtf8() + " record(s) held invalid UTF-8, landed with U+FFFD in its place (ids "
            + String.join(", ", counts.replacedUtf8Ids()) + (counts.replacedUtf8() > counts.replacedUtf8Ids().size() ? ", ..." : "")
            + ")");
      }
      return notes.isEmpty() ? null : String.join("; ", notes);
    }

    @Teardown
    public void teardown() {
      if (session != null) session.close();
    }
  }
}
