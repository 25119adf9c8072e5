package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.Normalize;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/** Follows a running pipeline and prints records read and rows written per sync, with the rate, every few seconds. */
final class Progress {
  private static final Duration INTERVAL = Duration.standardSeconds(5);
  private final PrintStream out;
  private final SyncPlan plan;
  private final Map<String, Long> lastWritten = new HashMap<>();
  private long lastTotal;
  private long lastAt = System.nanoTime();

  Progress(PrintStream out, SyncPlan plan) {
    this.out = out;
    this.plan = plan;
  }

  /**
   * Waits for the pipeline, printing progress. Throws when it ended in any state but DONE, and
   * {@link LostTrack} when the runner can no longer say how it is doing (a detached Flink job whose
   * cluster is gone or unreachable): the job may still be running, or may have finished, so that is not a failure.
   */
  void follow(PipelineResult result) {
    PipelineResult.State state;
    do {
      try {
        state = result.waitUntilFinish(INTERVAL);
      } catch (RuntimeException e) {
        PipelineResult.State known = stateOrNull(result);
        if (known == null || known == PipelineResult.State.UNKNOWN) throw new LostTrack(e);
        throw e; // the runner knows: the job failed (the Direct runner rethrows the job's error here)
      }
      if (state == null || !state.isTerminal()) print(result);
    } while (state == null || !state.isTerminal());
    if (state != PipelineResult.State.DONE) throw new IllegalStateException("pipeline ended in state " + state);
  }

  private static PipelineResult.State stateOrNull(PipelineResult result) {
    try {
      return result.getState();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The runner stopped answering about a job it had accepted; what the job did is in the run ledger. */
  static final class LostTrack extends RuntimeException {
    LostTrack(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  private void print(PipelineResult result) {
    Map<String, long[]> perSync = new TreeMap<>();
    try {
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
      for (MetricResult<Long> c : m.getCounters()) {
        String ns = c.getName().getNamespace();
        int slot = ns.equals(Normalize.PROGRESS_READ) ? 0 : ns.equals(WriteToPostgres.PROGRESS_WRITTEN) ? 1 : -1;
        if (slot < 0) continue;
        perSync.computeIfAbsent(c.getName().getName(), k -> new long[2])[slot] += c.getAttempted();
      }
    } catch (UnsupportedOperationException e) {
      return; // runners that report metrics only at the end
    }
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastAt) / 1e9);
    long total = 0;
    for (Map.Entry<String, long[]> e : perSync.entrySet()) {
      long written = e.getValue()[1];
      total += written;
      if (!lastWritten.containsKey(e.getKey()) || lastWritten.get(e.getKey()) != written) {
        out.printf("  %-40s read %,d  written %,d%n", e.getKey(), e.getValue()[0], written);
        lastWritten.put(e.getKey(), written);
      }
    }
    out.printf("  ... %,d rows written in all, %,.0f rows/s%n", total, (total - lastTotal) / seconds);
    lastTotal = total;
    lastAt = now;
  }
}
