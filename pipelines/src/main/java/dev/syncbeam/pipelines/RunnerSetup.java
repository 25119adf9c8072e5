package dev.syncbeam.pipelines;

import java.io.PrintStream;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What one Beam runner needs from SyncBeam beyond Beam's own option parsing. Implementations are
 * listed in {@code META-INF/services}, so a runner module plugs its runner in without SyncJob
 * knowing it.
 */
public interface RunnerSetup {
  /** The runner this setup is for. */
  Class<? extends PipelineRunner<?>> runner();

  /**
   * Adjusts the parsed options; {@code given} holds the names of the options the command line set,
   * so a setup changes only what the user left alone. Says how the command waits for the job.
   */
  JobWait prepare(PipelineOptions options, Set<String> given);

  /**
   * Adjusts the parsed options for the stream's one unbounded pipeline: {@code run()} must return
   * while the job runs, so the stream's driver can report its runs and cancel it on stop.
   */
  default void prepareUnbounded(PipelineOptions options) {}

  /**
   * The result to follow: a runner may add what Beam's result lacks (a detached Flink job's live
   * progress and cause of failure), printing to {@code out}.
   */
  default PipelineResult track(PipelineResult started, PipelineOptions options, PrintStream out) {
    return started;
  }

  /** How a sync command waits for the pipeline it started. */
  enum JobWait {
    /** Follows the job to its end, printing progress, and reports how the runs ended. */
    UNTIL_DONE,
    /** Returns once the runner accepted the job: FinishRun records each run's outcome from inside the job. */
    SUBMISSION
  }
}
