package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.bookkeeping.DeadLettersTable;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SyncPlan;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps every dead letter in {@code _syncbeam_dead_letters} with its run, sync, record id, error and
 * payload, once: a bundle the runner retries inserts the same fingerprints, which are left alone.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PCollection<KV<String, RunCounts>>> {
  private final PostgresDestination destination;
  private final SyncPlan plan;

  public WriteDeadLetters(PostgresDestination destination, SyncPlan plan) {
    this.destination = destination;
    this.plan = plan;
  }

  @Override
  public PCollection<KV<String, RunCounts>> expand(PCollection<DeadLetter> letters) {
    return letters.apply("InsertDeadLetters", ParDo.of(new InsertFn(destination, plan)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class)));
  }

  static final class InsertFn extends DoFn<DeadLetter, KV<String, RunCounts>> {
    private final PostgresDestination destination;
    private final SyncPlan plan;
    private transient DestinationSession session;
    private transient List<DeadLetter> pending;

    InsertFn(PostgresDestination destination, SyncPlan plan) {
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
    }

    @ProcessElement
    public void process(@Element DeadLetter letter) {
      pending.add(letter);
    }

    @FinishBundle
    public void finish(FinishBundleContext ctx) throws DestinationSession.Failed {
      if (pending.isEmpty()) return;
      String sql = new DeadLettersTable(destination.schema()).insert();
      session.inTransaction("recording " + pending.size() + " dead letters", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (DeadLetter d : pending) {
            PlannedSync sync = plan.get(d.syncLabel());
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
      Map<String, RunCounts> counts = new HashMap<>();
      for (DeadLetter d : pending) {
        counts.merge(d.syncLabel(), RunCounts.ZERO.withDeadLetters(1, d.recordId() == null ? 1 : 0, d.unreadable() ? 1 : 0), RunCounts::plus);
      }
      counts.forEach((label, c) -> ctx.output(KV.of(label, c), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
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
