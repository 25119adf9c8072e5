package dev.syncbeam.pipelines;

import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.CommonObjectMappings;
import dev.syncbeam.transforms.providers.ProviderApis;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.AuthenticationFailedException;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.RunModePolicy;
import dev.syncbeam.transforms.run.SyncState;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One run of a set of syncs: migrate the schema, plan each sync's run (full or incremental, from
 * its state), run the Beam pipeline, and report. Connectivity and extract folders are checked
 * before the pipeline is built, so a bad password or a missing folder fails in a second.
 */
public final class SyncJob {
  private final PostgresDestination destination;
  private final PrintStream out;

  public SyncJob(PostgresDestination destination, PrintStream out) {
    this.destination = destination;
    this.out = out;
  }

  /** Un-pauses syncs (after their credentials were fixed), so the next run reads them again. */
  public void resume(List<SyncDefinition> syncs) throws SQLException {
    RunLedger ledger = new RunLedger(destination.schema());
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

  /** The runs one invocation made, and whether all succeeded. */
  public record Result(List<Long> runIds, boolean allSucceeded) {}

  public Result run(List<SyncDefinition> syncs, boolean fullRefresh, String[] beamArgs) throws SQLException {
    List<PlannedSync> planned = new ArrayList<>();
    List<Long> runIds = new ArrayList<>();
    boolean preflightFailed = false;
    RunLedger ledger = new RunLedger(destination.schema());
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, destination.schema());
      for (SyncDefinition def : syncs) {
        Ddl.ensureTable(c, destination.schema(), def.custom()
            ? ObjectTables.customObjects() : ObjectTables.forTableName(def.rawTable()));
        if (def.custom()) {
          try (Statement st = c.createStatement()) {
            st.execute(Ddl.customObjectView(destination.schema(), def.key().provider(), def.customObjectName()));
          }
        }
        if (def.commonObject() != null) Ddl.ensureTable(c, destination.schema(), ObjectTables.common(def.commonObject())); // issue 3
        SyncState state = ledger.ensureState(c, def.key(), def.strategy());
        if (state.paused()) {
          out.printf("%-40s paused (%s): skipped%n", def.key().label(), state.pausedReason());
          continue;
        }
        if (fullRefresh) ledger.requestFullRefresh(c, def.key());
        RunMode mode = RunModePolicy.decide(state, def.strategy(), def.fullEveryNIncrementals(), fullRefresh);
        Instant emittedAt = RunLedger.nextEmittedAt(state, Instant.now());
        long runId = ledger.openRun(c, def.key(), mode, emittedAt);
        runIds.add(runId);
        CommonLookups lookups;
        try {
          if (def.readsApi()) {
            ProviderApis.forProvider(def.key().provider()); // a provider without a live reader fails here, by name
          } else {
            ExtractLayout.files(def.extractRoot().toString(), def.key().object());
          }
          lookups = commonLookups(def);
        } catch (AuthenticationFailedException e) {
          String reason = def.key().label() + ": " + e.getMessage();
          ledger.recordFailure(c, runId, RunCounts.ZERO, reason);
          ledger.pause(c, def.key(), reason);
          out.printf("%-40s PAUSED: %s%n", def.key().label(), e.getMessage());
          preflightFailed = true;
          continue;
        } catch (IllegalArgumentException e) {
          ledger.recordFailure(c, runId, RunCounts.ZERO, e.getMessage());
          out.printf("%-40s FAILED before reading: %s%n", def.key().label(), e.getMessage());
          preflightFailed = true;
          continue;
        }
        planned.add(new PlannedSync(def.key(), mode, runId, emittedAt, RunModePolicy.readFrom(mode, state),
            def.readsApi() ? null : def.extractRoot().toString(), def.rawTable(), def.customObjectName(), def.commonObject(),
            lookups, def.api()));
      }
      c.commit();
    }
    boolean submittedOnly = !planned.isEmpty() && !runPipeline(new SyncPlan(planned), runIds, beamArgs);
    return new Result(runIds, !preflightFailed && (submittedOnly || allSucceeded(runIds)));
  }

  /** Common objects (issue 3): labels the mapping needs, read here in the driver; a missing lookup only costs labels. */
  private CommonLookups commonLookups(SyncDefinition def) throws AuthenticationFailedException {
    if (def.commonObject() == null) return CommonLookups.NONE;
    java.util.function.Consumer<String> note = warning -> out.printf("%-40s note: %s%n", def.key().label(), warning);
    if (!def.readsApi()) {
      return CommonObjectMappings.forProvider(def.key().provider()).loadLookups(def.extractRoot(), def.commonObject(), note);
    }
    try {
      return ProviderApis.forProvider(def.key().provider()).lookups(def.key().object(), def.commonObject(),
          new ApiClient(def.key().provider(), def.api()), note);
    } catch (AuthenticationFailedException e) {
      throw e;
    } catch (java.io.IOException e) {
      note.accept("lookups unavailable, ids stand in for labels: " + e.getMessage());
      return CommonLookups.NONE;
    }
  }

  /** Runs the pipeline; false when it was only submitted (the runner runs it on its own and FinishRun records how it ends). */
  private boolean runPipeline(SyncPlan plan, List<Long> runIds, String[] beamArgs) throws SQLException {
    RunnerOptions runner = RunnerOptions.parse(beamArgs);
    Pipeline pipeline = Pipeline.create(runner.options());
    BatchSyncPipeline.build(pipeline, plan, destination);
    out.printf("syncing %d object(s) on %s%n", plan.syncs().size(), runner.runnerName());
    Progress progress = new Progress(out, plan);
    try {
      PipelineResult result = runner.track(pipeline.run(), out);
      if (runner.jobWait() == RunnerSetup.JobWait.SUBMISSION) {
        out.println("submitted job " + runner.options().getJobName() + " to " + runner.runnerName()
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
        new RunLedger(destination.schema()).failUnfinished(c, runIds, message);
        c.commit();
      }
      out.println(message);
    }
    return true;
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

  /** Beam options from the pass-through arguments, prepared for their runner (see {@link RunnerSetup}). */
  public static PipelineOptions pipelineOptions(String[] beamArgs) {
    return RunnerOptions.parse(beamArgs).options();
  }

  private boolean allSucceeded(List<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) return true;
    try (Connection c = destination.open();
         java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
             + dev.syncbeam.schemas.SqlIdentifiers.qualified(destination.schema(), dev.syncbeam.schemas.SyncbeamTables.SYNC_RUNS)
             + " WHERE run_id = ANY(?) AND status <> '" + RunLedger.SUCCESS + "'")) {
      ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    }
  }
}
