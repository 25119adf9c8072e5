package dev.syncbeam.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;

/**
 * A job submitted detached to a Flink cluster, as Beam's detached result sees it, plus what that
 * result cannot say, from the cluster's REST API: how far the job is (Beam's counters reach a Flink
 * batch job's result only as its tasks finish, so the live figures are Flink's own: steps done and
 * records into WriteToPostgres) and why it failed (the job's root exception), so a failed run's
 * record names the cause.
 */
final class FlinkClusterJob implements PipelineResult {
  private static final String SINK_STEP = "WriteToPostgres";
  private final PipelineResult detached;
  private final FlinkRest rest;
  private final String jobName;
  private final PrintStream out;
  private String jobId;
  private long lastRecords = -1;
  private long lastAt = System.nanoTime();

  FlinkClusterJob(PipelineResult detached, FlinkRest rest, String jobName, PrintStream out) {
    this.detached = detached;
    this.rest = rest;
    this.jobName = jobName;
    this.out = out;
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
    State state = detached.waitUntilFinish(duration);
    if (state != null && !state.isTerminal()) printProgress();
    return failIfFailed(state);
  }

  @Override
  public State waitUntilFinish() {
    return failIfFailed(detached.waitUntilFinish());
  }

  /** Beam's counters once the job ended; while it runs they are not there yet (see the class comment). */
  @Override
  public MetricResults metrics() {
    State state = getState();
    if (state == null || !state.isTerminal()) {
      throw new UnsupportedOperationException("a Flink batch job's Beam metrics arrive as its tasks finish");
    }
    return detached.metrics();
  }

  private State failIfFailed(State state) {
    if (state == State.FAILED) throw new FlinkJobFailedException(jobName + " on " + rest.master() + " failed: " + rootCause());
    return state;
  }

  /** One line: the job's state, steps done, and records into the sink so far, with the rate since the last line. */
  private void printProgress() {
    try {
      JsonNode job = rest.get("/jobs/" + jobId());
      int steps = 0;
      int done = 0;
      long records = 0;
      for (JsonNode vertex : job.path("vertices")) {
        steps++;
        if (vertex.path("status").asText().equals("FINISHED")) done++;
        if (vertex.path("name").asText().contains(SINK_STEP + "/")) records += vertex.path("metrics").path("read-records").asLong();
      }
      long now = System.nanoTime();
      String rate = lastRecords < 0 ? "" : String.format(", %,.0f/s", (records - lastRecords) / Math.max(1e-3, (now - lastAt) / 1e9));
      out.printf("  Flink job %s: %s, %d of %d steps done, %,d records into %s%s%n",
          jobId(), job.path("state").asText(), done, steps, records, SINK_STEP, rate);
      lastRecords = records;
      lastAt = now;
    } catch (IOException e) {
      out.println("  Flink job " + jobName + ": no progress from " + rest.master() + " (" + e.getMessage() + ")");
    }
  }

  /** The cluster's id of this job: the newest job with its name. */
  private String jobId() throws IOException {
    if (jobId != null) return jobId;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
      if (job.path("name").asText().equals(jobName) && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        jobId = job.path("jid").asText();
      }
    }
    if (jobId == null) throw new IOException("no job named " + jobName + " on the cluster");
    return jobId;
  }

  /** The innermost cause in the job's root exception: the line that says what went wrong, not where Flink noticed. */
  private String rootCause() {
    try {
      String trace = rest.get("/jobs/" + jobId() + "/exceptions").path("root-exception").asText("");
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
