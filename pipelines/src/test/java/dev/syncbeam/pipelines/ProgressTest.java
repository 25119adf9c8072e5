package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.syncbeam.transforms.model.SyncPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@link Progress} tells a failed job from a runner that stopped answering (a detached Flink job). */
class ProgressTest {
  private final Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), new SyncPlan(List.of()));

  @Test
  void followsUntilDone() {
    assertDoesNotThrow(() -> progress.follow(new FakeResult(() -> PipelineResult.State.DONE,
        () -> PipelineResult.State.RUNNING, () -> PipelineResult.State.DONE)));
  }

  @Test
  void aJobThatEndsFailedIsAFailure() {
    assertThrows(IllegalStateException.class, () -> progress.follow(new FakeResult(() -> PipelineResult.State.FAILED,
        () -> PipelineResult.State.FAILED)));
  }

  @Test
  void anErrorTheRunnerReportsForAFailedJobIsRethrown() {
    RuntimeException jobError = new RuntimeException("boom in a DoFn");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> progress.follow(new FakeResult(
        () -> PipelineResult.State.FAILED, () -> { throw jobError; })));
    assertSame(jobError, thrown);
  }

  @Test
  void aRunnerThatCannotSayHowTheJobIsDoingIsLostTrackNotFailure() {
    Supplier<PipelineResult.State> gone = () -> {
      throw new IllegalStateException("MiniCluster is not yet running or has already been shut down.");
    };
    assertThrows(Progress.LostTrack.class, () -> progress.follow(new FakeResult(gone, () -> PipelineResult.State.RUNNING, gone)));
  }

  /** waitUntilFinish answers from {@code waits} in turn; getState from {@code state}; metrics only at the end. */
  private static final class FakeResult implements PipelineResult {
    private final Supplier<State> state;
    private final Deque<Supplier<State>> waits;

    @SafeVarargs
    FakeResult(Supplier<State> state, Supplier<State>... waits) {
      this.state = state;
      this.waits = new ArrayDeque<>(List.of(waits));
    }

    @Override public State getState() { return state.get(); }
    @Override public State cancel() { return State.CANCELLED; }
    @Override public State waitUntilFinish(Duration duration) { return waits.isEmpty() ? state.get() : waits.poll().get(); }
    @Override public State waitUntilFinish() { return waitUntilFinish(Duration.ZERO); }
    @Override public MetricResults metrics() { throw new UnsupportedOperationException("metrics at the end only"); }
  }
}
