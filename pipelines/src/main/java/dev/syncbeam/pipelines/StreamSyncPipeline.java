package dev.syncbeam.pipelines;

import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.RunSchedule;
import dev.syncbeam.transforms.run.SyncLocks;
import dev.syncbeam.transforms.run.SyncState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous sync graph: ticks of a counting source → PlanDueRuns → the batch's own
 * ReadProvider → Normalize → WriteToPostgres → FinishRun. Each tick is a fixed window of its own;
 * the runs planned in it travel as that window's side input, and every element is keyed by its run.
 *
 * <p>The barrier is FinishRun's per-run Combine in the tick's window: it fires only once the watermark
 * has passed the window, i.e. once every write of that run has committed, with no extra state to keep.
 * The price: a long run holds the watermark, so later ticks' runs finish (sweep, watermark) after it.
 */
public final class StreamSyncPipeline {
  /** What a stream's lock session calls itself, so {@code status} can say a stream serves a sync. */
  public static final String LOCK_HOLDER = "syncbeam stream";
  private static final Duration MIN_TICK = Duration.ofMillis(500);
  private static final Duration MAX_TICK = Duration.ofSeconds(30);

  private StreamSyncPipeline() {}

  /** How often the stream looks for due syncs: a fraction of the shortest period, so a run starts close to when it is due. */
  public static Duration tick(List<SyncDefinition> syncs) {
    Duration shortest = syncs.stream().map(SyncDefinition::period).min(Duration::compareTo).orElse(MAX_TICK);
    Duration t = shortest.dividedBy(4);
    return t.compareTo(MIN_TICK) < 0 ? MIN_TICK : t.compareTo(MAX_TICK) > 0 ? MAX_TICK : t;
  }

  public static void build(Pipeline pipeline, List<SyncDefinition> syncs, PostgresDestination destination, SyncOptions options) {
    Duration tick = tick(syncs);
    PCollection<PlannedSync> planned = pipeline
        // a counting source, not PeriodicImpulse: on Flink the watermark behind PeriodicImpulse's ticks never
        // passed a tick's window, so no side input was ever ready and no run finished; an unbounded source's
        // reader reports the watermark itself, on every runner
        .apply("Tick", GenerateSequence.from(0).withRate(1, org.joda.time.Duration.millis(tick.toMillis()))
            .withTimestampFn(n -> org.joda.time.Instant.now()))
        .apply("OneWindowPerTick", Window.into(FixedWindows.of(org.joda.time.Duration.millis(tick.toMillis()))))
        .apply("PlanDueRuns", ParDo.of(new PlanDueRunsFn(Control.begin(), List.copyOf(syncs), destination)))
        .setCoder(PlannedSync.CODER);
    PCollectionView<List<PlannedSync>> plans = planned.apply("RunsOfTheTick", View.asList());
    PCollection<String> runs = planned.apply("RunKeys", MapElements.into(TypeDescriptors.strings()).via(PlannedSync::runKey))
        .setCoder(StringUtf8Coder.of());
    // a run that read nothing is still finished in its window
    PCollection<KV<String, RunCounts>> seeds = planned
        .apply("EveryRun", MapElements.via(new ZeroCounts()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class)));
    BatchSyncPipeline.apply(runs, RunPlans.perWindow(plans), destination, options, List.of(seeds));
  }

  private static final class ZeroCounts extends org.apache.beam.sdk.transforms.SimpleFunction<PlannedSync, KV<String, RunCounts>> {
    @Override
    public KV<String, RunCounts> apply(PlannedSync s) {
      return KV.of(s.runKey(), RunCounts.ZERO);
    }
  }

  /**
   * What the stream shares within its JVM: the stop request, the runs it started, and the one lock
   * session per destination that holds every sync it serves for as long as it runs.
   */
  public static final class Control {
    /** The stream this JVM built last, and every stream of this JVM that was stopped. */
    private static volatile String current;
    private static final Set<String> STOPPED = ConcurrentHashMap.newKeySet();
    private static final Set<Long> STARTED = ConcurrentHashMap.newKeySet();
    private static final Map<String, SyncLocks> LOCKS = new ConcurrentHashMap<>();
    /** Held while a tick plans, so a JVM plans one tick at a time. */
    static final Object PLANNING = new Object();

    private Control() {}

    /** No tick plans a run from now on; runs in flight go on. */
    public static void stopTicking() {
      // under the planning lock: once this returns, no tick is planning and none will
      synchronized (PLANNING) {
        if (current != null) STOPPED.add(current);
      }
    }

    /**
     * A new stream's id, which its ticks carry: a cancelled pipeline's last ticks can still be
     * processed after its stream ended (a runner's cancel does not wait for them), and must plan nothing.
     */
    static String begin() {
      current = UUID.randomUUID().toString();
      return current;
    }

    static boolean ticks(String stream) {
      return !STOPPED.contains(stream);
    }

    /** Ids of every run this JVM's stream opened. */
    public static List<Long> startedRuns() {
      return List.copyOf(STARTED);
    }

    static SyncLocks locks(PostgresDestination d) {
      return LOCKS.computeIfAbsent(d.schema(), k -> new SyncLocks(d, LOCK_HOLDER));
    }

    /** Releases the stream's locks and forgets its state (the stream ended; tests start another). */
    public static void reset() {
      LOCKS.values().forEach(SyncLocks::close);
      LOCKS.clear();
      STARTED.clear();
      stopTicking();
    }
  }

  /**
   * At each tick: every sync that is due (its period passed since its last run started, longer after
   * failures; a full refresh requested; never run) and not paused, not running, not held by another
   * process, gets a run planned exactly as a batch plans it, and goes on to be read.
   */
  static final class PlanDueRunsFn extends DoFn<Long, PlannedSync> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSyncPipeline.class);
    private final String stream;
    private final List<SyncDefinition> syncs;
    private final PostgresDestination destination;
    private transient SyncJob job;
    private transient RunLedger ledger;
    /** Why each sync was last not run, so a paused or held sync is said once, not at every tick. */
    private transient Map<String, String> lastNote;
    /** Whether the last tick found the destination away. */
    private transient boolean away;

    PlanDueRunsFn(String stream, List<SyncDefinition> syncs, PostgresDestination destination) {
      this.stream = stream;
      this.syncs = syncs;
      this.destination = destination;
    }

    @Setup
    public void setup() throws SQLException {
      job = new SyncJob(destination, System.out);
      ledger = RunLedger.of(destination); // runs it ends (abandoned, failed preflight) and pauses it makes send their events
      lastNote = new HashMap<>();
      try (Connection c = destination.open()) {
        SchemaMigrator.standard().migrate(c, destination.schema());
        c.commit();
      }
    }

    @ProcessElement
    public void process(OutputReceiver<PlannedSync> out) {
      // ticks can be processed side by side; the JVM's one lock session would let both plan the same
      // sync, and the second would take the first's fresh run for abandoned
      synchronized (Control.PLANNING) {
        if (!Control.ticks(stream)) return;
        planDue(Control.locks(destination), out);
      }
    }

    private void planDue(SyncLocks locks, OutputReceiver<PlannedSync> out) {
      try (Connection c = destination.open()) {
        for (SyncDefinition def : syncs) {
          if (!due(c, def, locks)) continue;
          PlannedSync run = job.planOne(c, ledger, def, false, locks, new SyncJob.Planning());
          if (run == null) continue;
          Control.STARTED.add(run.runId());
          out.output(run);
        }
        if (away) LOG.info("stream: the destination is back; planning due runs again");
        away = false;
      } catch (SQLException e) {
        // the database is away: no run is planned this tick, the next one tries again; said once, not at every tick
        if (!away) LOG.warn("stream: cannot plan due runs until the destination is back: {}", e.getMessage().lines().findFirst().orElse(""));
        away = true;
      }
    }

    private boolean due(Connection c, SyncDefinition def, SyncLocks locks) throws SQLException {
      String label = def.key().label();
      SyncState state = ledger.load(c, def.key());
      RunLedger.RunningRun running = ledger.inProgress(c, def.key());
      c.commit();
      if (state != null && state.paused()) return note(label, "paused (" + state.pausedReason() + "): skipped until resumed");
      if (!locks.tryAcquire(def.key())) return note(label, "is being synced by another process; the stream takes it when it is free");
      if (running != null) {
        // ours and still running (the lock is ours), or left behind: planOne records that as abandoned
        if (Control.STARTED.contains(running.runId())) return false;
      }
      lastNote.remove(label);
      if (state == null || state.forceFull()) return true;
      RunLedger.LatestRuns latest = ledger.latest(c, def.key());
      c.commit();
      return !Instant.now().isBefore(RunSchedule.nextDue(latest.lastStart(), def.period(), latest.failuresInARow()));
    }

    private boolean note(String label, String why) {
      if (!why.equals(lastNote.put(label, why))) System.out.printf("%-40s %s%n", label, why);
      return false;
    }
  }
}
