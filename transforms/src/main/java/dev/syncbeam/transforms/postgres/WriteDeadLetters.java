package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.bookkeeping.DeadLettersTable;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.BundleTotals;
import dev.syncbeam.transforms.model.RunPlans;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps every dead letter in {@code _syncbeam_dead_letters} with its run, sync, record id, error and
 * payload, once: a bundle the runner retries inserts the same fingerprints, which are left alone.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PCollection<KV<String, RunCounts>>> {
  private final PostgresDestination destination;
  private final RunPlans plan;

  public WriteDeadLetters(PostgresDestination destination, RunPlans plan) {
    this.destination = destination;
    this.plan = plan;
  }

  @Override
  public PCollection<KV<String, RunCounts>> expand(PCollection<DeadLetter> letters) {
    return letters.apply("InsertDeadLetters", ParDo.of(new InsertFn(destination, plan)).withSideInputs(plan.sideInputs()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class)));
  }

  static final class InsertFn extends DoFn<DeadLetter, KV<String, RunCounts>> {
    private final PostgresDestination destination;
    private final RunPlans plan;
    private transient DestinationSession session;
    /** Each letter with the run it belongs to, looked up while its window's plan is at hand. */
    private transient List<KV<PlannedSync, DeadLetter>> pending;
    private transient BundleTotals counts;

    InsertFn(PostgresDestination destination, RunPlans plan) {
      this.destination = destination;
      this.plan = plan;
    }

    @Setup
    public void setup() {
      session = DestinationSession.of(destination);
    }

    @StartBundle
    public void start() {
      pending = new ArrayList<>();
      counts = new BundleTotals();
    }

    @ProcessElement
    public void process(@Element DeadLetter letter, BoundedWindow window, ProcessContext c) {
      pending.add(KV.of(plan.get(c, letter.syncLabel()), letter));
      counts.seen(letter.syncLabel(), window);
    }

    @FinishBundle
    public void finish(FinishBundleContext ctx) throws DestinationSession.Failed {
      if (pending.isEmpty()) return;
      String sql = new DeadLettersTable(destination.schema()).insert();
      session.inTransaction("recording " + pending.size() + " dead letters", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (KV<PlannedSync, DeadLetter> p : pending) {
            PlannedSync sync = p.getKey();
            DeadLetter d = p.getValue();
            ps.setLong(1, sync.runId());
            ps.setString(2, sync.key().applicationId());
            ps.setString(3, sync.key().provider());
            ps.setString(4, sync.key().customerId());
            ps.setString(5, sync.key().object());
            ps.setString(6, d.recordId());
            ps.setString(7, noNul(d.error()));
            ps.setString(8, noNul(d.payload()));
            ps.setString(9, d.fingerprint());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return null;
      });
      for (KV<PlannedSync, DeadLetter> p : pending) {
        DeadLetter d = p.getValue();
        counts.add(d.syncLabel(), c -> c.withDeadLetters(1, d.recordId() == null ? 1 : 0, d.unreadable() ? 1 : 0));
      }
      counts.emit((total, window) -> ctx.output(total, window.maxTimestamp(), window));
    }

    /** A text column cannot hold U+0000 either. */
    private static String noNul(String s) {
      return s == null ? null : s.replace("\0", "");
    }

    @Teardown
    public void teardown() {
      if (session != null) session.close();
    }
  }
}
