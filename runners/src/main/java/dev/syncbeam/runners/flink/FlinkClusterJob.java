package dev.syncbeam.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;

/**
 * A job submitted detached to a Flink cluster, as Beam's detached result sees it, plus the one
 * thing that result cannot say: why the job failed. That comes from the cluster's REST API
 * (the job's root exception), so a failed run's record names the cause.
 */
final class FlinkClusterJob implements PipelineResult {
  private final PipelineResult detached;
  private final FlinkRest rest;
  private final String jobName;

  FlinkClusterJob(PipelineResult detached, FlinkRest rest, String jobName) {
    this.detached = detached;
    this.rest = rest;
    this.jobName = jobName;
  }

  @Override
  public State getState() {
    return detached.getState();
  }

  @Override
  public State cancel() throws IOException {
    return detached.cancel();
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    return failIfFailed(detached.waitUntilFinish(duration));
  }

  @Override
  public State waitUntilFinish() {
    return failIfFailed(detached.waitUntilFinish());
  }

  @Override
  public MetricResults metrics() {
    return detached.metrics();
  }

  private State failIfFailed(State state) {
    if (state == State.FAILED) throw new FlinkJobFailedException(jobName + " on " + rest.master() + " failed: " + rootCause());
    return state;
  }

  /** The innermost cause in the job's root exception: the first line that says what went wrong, not where Flink noticed. */
  private String rootCause() {
    try {
      String jobId = null;
      long newest = Long.MIN_VALUE;
      for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
        if (job.path("name").asText().equals(jobName) && job.path("start-time").asLong() > newest) {
          newest = job.path("start-time").asLong();
          jobId = job.path("jid").asText();
        }
      }
      if (jobId == null) return "(no job named " + jobName + " on the cluster any more)";
      String trace = rest.get("/jobs/" + jobId + "/exceptions").path("root-exception").asText("");
      List<String> lines = trace.lines().toList();
      String cause = lines.isEmpty() ? "(no exception recorded)" : lines.get(0);
      for (String line : lines) if (line.startsWith("Caused by: ")) cause = line.substring("Caused by: ".length());
      return cause + " (Flink job " + jobId + ")";
    } catch (IOException e) {
      return "(the cause is not available: " + e.getMessage() + ")";
    }
  }

  /** A Flink job that ended FAILED, with its cause. */
  static final class FlinkJobFailedException extends IllegalStateException {
    FlinkJobFailedException(String message) {
      super(message);
    }
  }
}
