package dev.syncbeam.runners.flink;

import dev.syncbeam.pipelines.RunnerSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Flink runner on a cluster ({@code --flinkMaster=host:port}). Beam's attached submission
 * blocks until the job ends and reports nothing on the way, so SyncBeam submits detached and
 * follows the job itself, printing its progress from the cluster's REST API; {@code --attachedMode=false} from the user means
 * "return once submitted". Without {@code --parallelism} a job gets all of the cluster's slots,
 * not Flink's client-side default of one. The embedded cluster ({@code [local]}) runs as Beam runs it.
 */
public final class FlinkRunnerSetup implements RunnerSetup {
  @Override
  public Class<? extends PipelineRunner<?>> runner() {
    return FlinkRunner.class;
  }

  @Override
  public JobWait prepare(PipelineOptions options, Set<String> given) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (!isCluster(master)) return JobWait.UNTIL_DONE;
    if (!given.contains("jobCheckIntervalInSecs")) flink.setJobCheckIntervalInSecs(1);
    if (!given.contains("parallelism")) {
      int slots = clusterSlots(master);
      if (slots > 0) flink.setParallelism(slots);
    }
    if (given.contains("attachedMode") && !flink.getAttachedMode()) return JobWait.SUBMISSION;
    flink.setAttachedMode(false);
    return JobWait.UNTIL_DONE;
  }

  /**
   * Attached, Beam's {@code run()} blocks until the job ends, which an unbounded job never does, so
   * even the embedded cluster runs it detached; the job is then followed and cancelled through its client.
   */
  @Override
  public void prepareUnbounded(PipelineOptions options) {
    options.as(FlinkPipelineOptions.class).setAttachedMode(false);
  }

  @Override
  public PipelineResult track(PipelineResult started, PipelineOptions options, PrintStream out) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (!isCluster(master)) return started;
    return new FlinkClusterJob(started, new FlinkRest(master), flink.getJobName(), out);
  }

  /** {@code host:port}, not Beam's {@code [local]}, {@code [auto]} or {@code [collection]} (all in this JVM). */
  private static boolean isCluster(String master) {
    return master != null && !master.startsWith("[");
  }

  /** The cluster's task slots, or 0 when it cannot say (not up yet: submission then fails with Flink's own message). */
  private static int clusterSlots(String master) {
    try {
      return new FlinkRest(master).overview().slotsTotal();
    } catch (IOException e) {
      return 0;
    }
  }
}
