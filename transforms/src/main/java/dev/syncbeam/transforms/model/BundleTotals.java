package dev.syncbeam.transforms.model;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * A bundle's counts per run, each remembered with the window its elements came in, so the totals
 * a DoFn emits when its bundle finishes land in that run's window: in a stream, the window is what
 * FinishRun's per-run total waits on; in a batch it is the global window.
 */
public final class BundleTotals {
  private final Map<String, RunCounts> counts = new HashMap<>();
  private final Map<String, BoundedWindow> windows = new HashMap<>();

  /** Notes the window of a run's element; call it for every element before counting or emitting on its behalf. */
  public void seen(String runKey, BoundedWindow window) {
    windows.putIfAbsent(runKey, window);
  }

  public void add(String runKey, UnaryOperator<RunCounts> change) {
    counts.put(runKey, change.apply(counts.getOrDefault(runKey, RunCounts.ZERO)));
  }

  /** The window a run's elements came in (seen before). */
  public BoundedWindow windowOf(String runKey) {
    BoundedWindow w = windows.get(runKey);
    if (w == null) throw new IllegalStateException("no element of run " + runKey + " in this bundle");
    return w;
  }

  /** Hands each run's total to {@code emit} with its window, then forgets them. */
  public void emit(BiConsumer<KV<String, RunCounts>, BoundedWindow> emit) {
    counts.forEach((runKey, c) -> emit.accept(KV.of(runKey, c), windowOf(runKey)));
    counts.clear();
    windows.clear();
  }
}
