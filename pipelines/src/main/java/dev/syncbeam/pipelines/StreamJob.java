package dev.syncbeam.pipelines;

import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.notify.WebhookDeliverer;
import dev.syncbeam.transforms.notify.WebhookTarget;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code syncbeam stream}: runs the one unbounded pipeline and, from the driver, reports each run as
 * it ends (one line each; a heartbeat instead while nothing changes). {@link #stop} stops ticking,
 * lets in-flight runs finish within the drain window, records the rest as stopped (FinishRun then
 * sweeps none of them), and cancels the pipeline.
 */
public final class StreamJob {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Duration POLL = Duration.ofMillis(500);
  /** How long a stopping stream waits for the last events; the rest wait in the outbox for the next deliverer. */
  private static final Duration FINAL_DELIVERY = Duration.ofSeconds(5);
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

  private final PostgresDestination destination;
  private final PrintStream out;
  private final Duration heartbeat;
  private final WebhookDeliverer webhooks;
  private final Set<Long> reported = new HashSet<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile PipelineResult result;
  private volatile boolean stopRequested;
  private boolean anyFailed;

  public StreamJob(PostgresDestination destination, PrintStream out, Duration heartbeat) {
    this(destination, out, heartbeat, null);
  }

  /** With a webhook (null for none): its events are delivered in the background for as long as the stream runs. */
  public StreamJob(PostgresDestination destination, PrintStream out, Duration heartbeat, WebhookTarget webhook) {
    this.destination = destination;
    this.out = out;
    this.heartbeat = heartbeat;
    this.webhooks = webhook == null ? null : new WebhookDeliverer(destination, webhook);
  }

  /** Runs until {@link #stop} is called (from a shutdown hook or a test); returns whether every run it reported succeeded. */
  public boolean run(List<SyncDefinition> syncs, RunnerOptions runner) throws SQLException {
    SyncOptions options = runner.unbounded();
    PostgresDestination configured = SyncJob.configured(destination, options);
    try (Connection c = configured.open()) {
      // connectivity and the bookkeeping tables, before anything starts
      SchemaMigrator.standard().migrate(c, configured.schema());
      c.commit();
    }
    // events another process left pending (it crashed, or the receiver was down) go out from the start
    if (webhooks != null) webhooks.start();
    Pipeline pipeline = Pipeline.create(options);
    StreamSyncPipeline.build(pipeline, syncs, configured, options);
    Instant since = Instant.now().minusSeconds(1);
    out.printf("streaming %d sync(s) on %s, looking for due runs every %.1fs; Ctrl-C stops%n", syncs.size(),
        runner.runnerName(), StreamSyncPipeline.tick(syncs).toMillis() / 1000.0);
    result = pipeline.run();
    Instant lastChange = Instant.now();
    int quietRuns = 0;
    try {
      while (!stopRequested) {
        // the state, not waitUntilFinish: a detached Flink job's wait sleeps its whole check interval, however short the wait asked
        PipelineResult.State state = stateOf(result);
        if (state == null || state.isTerminal()) {
          if (stopRequested) break; // cancelled by stop()
          out.println("the stream's pipeline ended: " + (state == null ? "its runner no longer answers" : state + why(result)));
          anyFailed = true;
          break;
        }
        Thread.sleep(POLL.toMillis());
        try {
          int[] changedAndQuiet = report(since);
          if (changedAndQuiet[0] > 0) lastChange = Instant.now();
          if (webhooks != null && changedAndQuiet[0] + changedAndQuiet[1] > 0) webhooks.wake(); // their events are in the outbox
          quietRuns += changedAndQuiet[1];
        } catch (SQLException e) {
          // the destination is away for a moment; FinishRun and the planner retry on their own
        }
        if (Duration.between(lastChange, Instant.now()).compareTo(heartbeat) >= 0) {
          out.printf("%s heartbeat: up to date, %d run(s) with no changes since %s%n", CLOCK.format(Instant.now()), quietRuns,
              CLOCK.format(lastChange));
          lastChange = Instant.now();
          quietRuns = 0;
        }
      }
      // stop() records the runs it stopped before it lets go; a pipeline that ended by itself has no stop to wait for
      if (stopRequested) ended.await();
      try {
        report(since);
      } catch (SQLException e) {
        out.println("could not report the last runs: " + e.getMessage().lines().findFirst().orElse(""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      StreamSyncPipeline.Control.reset();
    }
    return !anyFailed;
  }

  /** The cause a runner gives for the end of a job, when it gives one. */
  private static String why(PipelineResult ended) {
    try {
      ended.waitUntilFinish(org.joda.time.Duration.millis(1));
      return "";
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      return " (" + String.valueOf(root.getMessage()).lines().findFirst().orElse("") + ")";
    }
  }

  /**
   * Prints the runs ended since the last look, but for those that found nothing new, which the
   * heartbeat counts; returns {runs that changed something, runs that did not}.
   */
  private int[] report(Instant since) throws SQLException {
    int changed = 0;
    int quiet = 0;
    try (Connection c = destination.open();
         PreparedStatement ps = c.prepareStatement(new SyncRunsTable(destination.schema()).endedSince())) {
      ps.setString(1, RunStatus.SUCCESS.name());
      Timestamps.bind(ps, 2, since);
      ps.setString(3, RunStatus.IN_PROGRESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long run = rs.getLong("run");
          if (!reported.add(run)) continue;
          String status = rs.getString("status");
          long read = rs.getLong("read");
          long written = rs.getLong("written");
          long swept = rs.getLong("swept");
          boolean failed = !RunStatus.SUCCESS.name().equals(status);
          if (failed) anyFailed = true;
          // an incremental read starts at the watermark itself, so it reads the records stamped there again
          // every time; one that got no further found nothing new
          boolean nothingNew = read == 0
              || (RunMode.INCREMENTAL.label.equals(rs.getString("mode")) && !rs.getBoolean("watermark_moved"));
          if (!failed && swept == 0 && nothingNew) {
            quiet++;
            continue;
          }
          changed++;
          String message = rs.getString("message");
          out.printf("%s %-40s %-11s %-7s read %d  written %d  deleted %d  %.1fs%s%n", CLOCK.format(Instant.now()),
              rs.getString("sync"), rs.getString("mode"), failed ? status : "ok", read, written, swept, rs.getDouble("seconds"),
              message == null || message.isEmpty() ? "" : "  (" + message + ")");
        }
      }
      c.commit();
    }
    return new int[] {changed, quiet};
  }

  /**
   * Stops the stream: no new runs, in-flight ones get {@code drain} to finish, the rest are recorded
   * stopped, then the pipeline is cancelled. Safe to call from a shutdown hook; returns when done.
   */
  public void stop(Duration drain) {
    StreamSyncPipeline.Control.stopTicking();
    try {
      Instant deadline = Instant.now().plus(drain);
      List<Long> started = StreamSyncPipeline.Control.startedRuns();
      out.printf("stopping: no new runs; waiting up to %ds for runs in flight%n", drain.toSeconds());
      while (Instant.now().isBefore(deadline) && !allEnded(started)) Thread.sleep(POLL.toMillis());
      started = StreamSyncPipeline.Control.startedRuns();
      try (Connection c = destination.open()) {
        RunLedger ledger = RunLedger.of(destination);
        int unfinished = started.isEmpty() ? 0 : ledger.failUnfinished(c, started, SyncJob.STOPPED);
        c.commit();
        out.println(unfinished == 0 ? "every run in flight finished" : unfinished + " run(s) recorded as stopped (nothing swept)");
      } catch (SQLException e) {
        out.println("could not record the stopped runs (" + e.getMessage().lines().findFirst().orElse("")
            + "); the next command that looks at them records them as abandoned");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopRequested = true;
      PipelineResult running = result;
      if (running != null) cancelAndWait(running);
      if (webhooks != null) {
        webhooks.stop();
        out.println(webhooks.deliverWithin(FINAL_DELIVERY).summary()); // the stopped runs' events too
      }
      ended.countDown();
    }
  }

  /**
   * Cancels the pipeline and waits until it has ended, so that once stop returns the job is gone (an
   * embedded Flink cluster with it, whose threads would otherwise keep the JVM up).
   */
  private static void cancelAndWait(PipelineResult running) {
    try {
      running.cancel();
      long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
      for (PipelineResult.State s = stateOf(running); s != null && !s.isTerminal() && System.nanoTime() < deadline; s = stateOf(running)) {
        Thread.sleep(POLL.toMillis());
      }
    } catch (IOException | RuntimeException e) {
      // a runner that cannot cancel dies with the JVM; the runs are recorded already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The pipeline's state, or null once its runner no longer answers: an embedded Flink cluster shuts down with its job. */
  private static PipelineResult.State stateOf(PipelineResult r) {
    try {
      PipelineResult.State state = r.getState();
      return state == null ? PipelineResult.State.UNKNOWN : state;
    } catch (IllegalStateException gone) {
      return null;
    }
  }

  private boolean allEnded(List<Long> runs) {
    if (runs.isEmpty()) return true;
    try (Connection c = destination.open()) {
      boolean none = new RunLedger(destination.schema()).noneInProgress(c, runs);
      c.commit();
      return none;
    } catch (SQLException e) {
      return false;
    }
  }
}
