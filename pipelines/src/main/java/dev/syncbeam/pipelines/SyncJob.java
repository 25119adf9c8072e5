package dev.syncbeam.pipelines;

import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.FullRefreshSweep;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.ProviderDescriptor;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.AuthenticationFailedException;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.RunModePolicy;
import dev.syncbeam.transforms.run.SyncLocks;
import dev.syncbeam.transforms.run.SyncState;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;

/**
 * One run of a set of syncs: migrate the schema, take each sync's lock, plan its run (full or
 * incremental, from its state), run the Beam pipeline, and report. Connectivity and extract folders
 * are checked before the pipeline is built, so a bad password or a missing folder fails in a second.
 *
 * <p>A sync another process is running (its lock is held) is skipped, not run twice; a run left in
 * progress by a process that died is recorded as abandoned first. If this process is stopped
 * (SIGTERM, Ctrl-C) its runs are recorded as stopped before it exits, and none of them sweeps.
 */
public final class SyncJob {
  static final String STOPPED = "stopped: syncbeam was interrupted before the run finished";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final PostgresDestination destination;
  private final PrintStream out;
  /** Every sync that has completed a full refresh runs as a delete check (unless a full refresh is due). */
  private final boolean deleteCheck;
  private final boolean waitForLocks;

  public SyncJob(PostgresDestination destination, PrintStream out) {
    this(destination, out, false, false);
  }

  private SyncJob(PostgresDestination destination, PrintStream out, boolean deleteCheck, boolean waitForLocks) {
    this.destination = destination;
    this.out = out;
    this.deleteCheck = deleteCheck;
    this.waitForLocks = waitForLocks;
  }

  /** The same job, whose runs are delete checks: ids only, then the sweep, nothing else written. */
  public SyncJob checkingDeletes() {
    return new SyncJob(destination, out, true, waitForLocks);
  }

  /** The same job, waiting for a sync another run holds instead of skipping it ({@code sync --wait}). */
  public SyncJob waitingForLocks() {
    return new SyncJob(destination, out, deleteCheck, true);
  }

  /** Un-pauses syncs (after their credentials were fixed), so the next run reads them again. */
  public void resume(List<SyncDefinition> syncs) throws SQLException {
    RunLedger ledger = RunLedger.of(destination);
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, destination.schema());
      for (SyncDefinition def : syncs) {
        SyncState state = ledger.load(c, def.key());
        if (state != null && state.paused()) {
          ledger.resume(c, def.key());
          out.printf("%-40s resumed (was paused: %s)%n", def.key().label(), state.pausedReason());
        }
      }
      c.commit();
    }
  }

  /** The runs one invocation made, whether all succeeded, and the syncs skipped because another run held them. */
  public record Result(List<Long> runIds, boolean allSucceeded, List<String> skipped) {}

  /** One run of the syncs with options from command-line arguments; a bad option fails before the database is touched. */
  public Result run(List<SyncDefinition> syncs, boolean fullRefresh, String[] beamArgs) throws SQLException {
    return run(syncs, fullRefresh, RunnerOptions.parse(beamArgs));
  }

  /**
   * One run of the syncs. The options' lock timeout, reconnect window and connection bound replace
   * the destination's own for every connection the run opens, so set them as options, not on the
   * destination.
   */
  public Result run(List<SyncDefinition> syncs, boolean fullRefresh, RunnerOptions runner) throws SQLException {
    SyncOptions options = runner.options();
    // the driver lists extract folders before any worker runs: s3:// or gs:// need the options' credentials and endpoint here too
    FileSystems.setDefaultPipelineOptions(options);
    return new SyncJob(configured(destination, options), out, deleteCheck, waitForLocks).runConfigured(syncs, fullRefresh, runner);
  }

  /** The destination as the options say its connections behave. */
  static PostgresDestination configured(PostgresDestination destination, SyncOptions options) {
    return destination
        .withLockTimeout(Duration.ofSeconds(options.getLockTimeoutSeconds()))
        .withReconnectWindow(Duration.ofSeconds(options.getReconnectWindowSeconds()))
        .withMaxConnections(options.getDestinationConnections());
  }

  private Result runConfigured(List<SyncDefinition> syncs, boolean fullRefresh, RunnerOptions runner) throws SQLException {
    try (SyncLocks locks = new SyncLocks(destination)) {
      // 2. per sync: its tables, its lock, its state and the run it gets
      Planning planning = plan(syncs, fullRefresh, locks);
      // 3. one pipeline for every sync that is ready; a job only submitted reports how it ends later
      boolean submittedOnly = !planning.planned.isEmpty()
          && !runPipeline(new SyncPlan(planning.planned), planning.runIds, runner);
      boolean ok = !planning.preflightFailed && (submittedOnly || allSucceeded(planning.runIds));
      return new Result(List.copyOf(planning.runIds), ok, List.copyOf(planning.skipped));
    }
  }

  static final class Planning {
    final List<PlannedSync> planned = new ArrayList<>();
    final List<Long> runIds = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    /** Tables and views made current in this pass: nothing drops them meanwhile, so one check each is enough. */
    final Set<String> ensured = new HashSet<>();
    boolean preflightFailed;
  }

  private Planning plan(List<SyncDefinition> syncs, boolean fullRefresh, SyncLocks locks) throws SQLException {
    Planning p = new Planning();
    RunLedger ledger = RunLedger.of(destination);
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, destination.schema());
      for (SyncDefinition def : syncs) planOne(c, ledger, def, fullRefresh, locks, p);
    }
    return p;
  }

  /**
   * Plans one sync's run into {@code p}: its tables and state, its lock (skipped when another run
   * holds it, or waited for with {@link #waitingForLocks}), abandoned runs, the mode, the run record
   * and the preflight. Returns the planned run, or null when the sync does not run now.
   */
  PlannedSync planOne(Connection c, RunLedger ledger, SyncDefinition def, boolean fullRefresh, SyncLocks locks, Planning p)
      throws SQLException {
    def.ensureTables(c, destination.schema(), p.ensured);
    SyncState state = ledger.ensureState(c, def.key(), def.strategy(), def.custom() ? ObjectType.CUSTOM : ObjectType.STANDARD);
    if (fullRefresh) ledger.requestFullRefresh(c, def.key());
    c.commit();
    if (state.paused()) {
      out.printf("%-40s paused (%s): skipped%n", def.key().label(), state.pausedReason());
      return null;
    }
    if (!locks.tryAcquire(def.key())) {
      if (!waitForLocks) {
        p.skipped.add(def.key().label());
        out.println(heldByAnother(c, ledger, def));
        return null;
      }
      out.println(heldByAnother(c, ledger, def).replace("; skipped", "; waiting for it"));
      try {
        locks.acquire(def.key());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the lock of " + def.key().label(), e);
      }
      state = ledger.load(c, def.key()); // the run we waited for moved it on
      c.commit();
    }
    // the lock is ours, so any run of this sync still recorded in progress has nobody running it
    for (long abandoned : ledger.failAbandoned(c, def.key())) {
      out.printf("%-40s run %d was left in progress by a process that stopped: recorded as abandoned%n",
          def.key().label(), abandoned);
    }
    RunMode mode = RunModePolicy.decide(state, def.strategy(), def.fullEveryNIncrementals(),
        def.deleteCheckEveryNIncrementals(), fullRefresh, deleteCheck);
    Instant emittedAt = RunLedger.nextEmittedAt(state, Instant.now());
    long runId = ledger.openRun(c, def.key(), mode, emittedAt);
    p.runIds.add(runId);
    Preflight checked = preflight(def);
    if (checked.failure != null) {
      ledger.recordFailure(c, runId, RunCounts.ZERO, checked.failure);
      if (checked.credentialsRefused) ledger.pause(c, def.key(), checked.failure);
      out.printf("%-40s %s: %s%n", def.key().label(), checked.credentialsRefused ? "PAUSED" : "FAILED before reading",
          checked.failure);
      p.preflightFailed = true;
      c.commit();
      return null;
    }
    PlannedSync planned = new PlannedSync(def.key(), mode, runId, emittedAt, RunModePolicy.readFrom(mode, state),
        def.readsApi() ? null : def.extractRoot().toString(), def.rawTable(), def.customObjectName(), def.commonObject(),
        checked.lookups, def.api());
    // a first load records no ids and skips the sweep; the lock is ours, so no other run adds rows meanwhile
    if (mode.sweeps() && !FullRefreshSweep.hasRows(c, destination.schema(), planned)) planned = planned.startingEmpty();
    c.commit();
    p.planned.add(planned);
    return planned;
  }

  /** The one line an overlapping scheduled run prints for a sync it leaves to the run that holds it. */
  private String heldByAnother(Connection c, RunLedger ledger, SyncDefinition def) throws SQLException {
    RunLedger.RunningRun running = ledger.inProgress(c, def.key());
    String which = running == null ? "starting" : "run " + running.runId() + ", started " + CLOCK.format(running.startedAt());
    return def.key().label() + " is being synced by another run (" + which + "); skipped";
  }


  /** What the driver learns about a sync's source before any worker reads it. */
  private record Preflight(CommonLookups lookups, String failure, boolean credentialsRefused) {}

  private Preflight preflight(SyncDefinition def) {
    try {
      if (!def.readsApi()) ExtractLayout.files(def.extractRoot().toString(), def.key().object());
      return new Preflight(commonLookups(def), null, false);
    } catch (AuthenticationFailedException e) {
      return new Preflight(CommonLookups.NONE, def.key().label() + ": " + e.getMessage(), true);
    } catch (IllegalArgumentException e) {
      return new Preflight(CommonLookups.NONE, e.getMessage(), false);
    }
  }

  /** Labels a common-object mapping needs, read here in the driver; a missing lookup only costs labels. */
  private CommonLookups commonLookups(SyncDefinition def) throws AuthenticationFailedException {
    if (def.commonObject() == null) return CommonLookups.NONE;
    Consumer<String> note = warning -> out.printf("%-40s note: %s%n", def.key().label(), warning);
    ProviderDescriptor provider = Providers.get(def.key().provider());
    if (!def.readsApi()) return provider.commonObjects().loadLookups(def.extractRoot(), def.commonObject(), note);
    try {
      return provider.api().lookups(def.key().object(), def.commonObject(), new ApiClient(def.key().provider(), def.api()), note);
    } catch (AuthenticationFailedException e) {
      throw e;
    } catch (IOException e) {
      note.accept("lookups unavailable, ids stand in for labels: " + e.getMessage());
      return CommonLookups.NONE;
    }
  }

  /** Runs the pipeline; false when it was only submitted (the runner runs it on its own and FinishRun records how it ends). */
  private boolean runPipeline(SyncPlan plan, List<Long> runIds, RunnerOptions runner) throws SQLException {
    SyncOptions options = runner.options();
    Pipeline pipeline = Pipeline.create(options);
    BatchSyncPipeline.build(pipeline, plan, destination, options);
    out.printf("syncing %d object(s) on %s%n", plan.syncs().size(), runner.runnerName());
    Progress progress = new Progress(out, plan);
    StopHook stop = StopHook.install(destination, runIds);
    try {
      PipelineResult result = runner.track(pipeline.run(), out);
      stop.cancelling(result);
      if (runner.jobWait() == RunnerSetup.JobWait.SUBMISSION) {
        out.println("submitted job " + options.getJobName() + " to " + runner.runnerName()
            + "; the runs finish on their own, `syncbeam status` shows how they end");
        return false;
      }
      progress.follow(result);
    } catch (Progress.LostTrack e) {
      // FinishRun records each run's outcome from inside the pipeline; marking runs failed here could be false
      out.println("lost track of the pipeline on " + runner.runnerName() + " (" + ownMessage(e)
          + "); runs it had not finished yet are left IN_PROGRESS, `syncbeam status` shows how they end");
    } catch (RuntimeException e) {
      String message = "pipeline failed: " + ownMessage(e);
      try (Connection c = destination.open()) {
        RunLedger.of(destination).failUnfinished(c, runIds, message);
        c.commit();
      }
      out.println(message);
    } finally {
      stop.remove();
    }
    return true;
  }

  /**
   * While a pipeline runs: on SIGTERM or Ctrl-C, cancel it and record its unfinished runs as
   * stopped before the JVM exits. FinishRun checks a run is still in progress before it sweeps, so
   * a run recorded as stopped here never also sweeps.
   */
  private static final class StopHook {
    private final Thread thread;
    private volatile PipelineResult result;

    private StopHook(PostgresDestination destination, List<Long> runIds) {
      thread = new Thread(() -> {
        // first the record, then the cancel: the main thread sees the cancelled pipeline and must find the runs ended
        try (Connection c = destination.open()) {
          RunLedger.of(destination).failUnfinished(c, runIds, STOPPED);
          c.commit();
        } catch (SQLException e) {
          System.err.println("syncbeam: could not record the stopped runs (" + e.getMessage().lines().findFirst().orElse("")
              + "); the next command that looks at them records them as abandoned");
        }
        PipelineResult running = result;
        if (running != null) {
          try {
            running.cancel();
          } catch (IOException | RuntimeException e) {
            // the runner may not cancel (the Direct runner dies with this JVM anyway); the runs are already recorded
          }
        }
      }, "syncbeam-stop");
    }

    static StopHook install(PostgresDestination destination, List<Long> runIds) {
      StopHook hook = new StopHook(destination, List.copyOf(runIds));
      Runtime.getRuntime().addShutdownHook(hook.thread);
      return hook;
    }

    void cancelling(PipelineResult r) {
      result = r;
    }

    void remove() {
      try {
        Runtime.getRuntime().removeShutdownHook(thread);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook is running or has run
      }
    }
  }

  private static String ownMessage(Throwable e) {
    Throwable cause = firstOwnCause(e);
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** Beam wraps a DoFn's exception in its own; the first one that is not Beam's says what went wrong, with our context. */
  static Throwable firstOwnCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getClass().getName().startsWith("org.apache.beam.")) t = t.getCause();
    return t;
  }

  /** Beam options from the pass-through arguments, checked and prepared for their runner (see {@link RunnerOptions}). */
  public static SyncOptions pipelineOptions(String[] beamArgs) {
    return RunnerOptions.parse(beamArgs).options();
  }

  private boolean allSucceeded(List<Long> runIds) throws SQLException {
    try (Connection c = destination.open()) {
      return new RunLedger(destination.schema()).allSucceeded(c, runIds);
    }
  }
}
