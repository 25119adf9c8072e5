package dev.syncbeam.transforms.run;

import dev.syncbeam.transforms.model.RunMode;
import java.time.Duration;
import java.time.Instant;

/** Decides whether a sync's next run is full or incremental, and from when an incremental reads. */
public final class RunModePolicy {
  public static final String FULL_THEN_INCREMENTAL = "full_then_incremental";
  public static final String FULL_ONLY = "full_only";
  /** Incremental reads start this far before the watermark, so records that share its timestamp are never missed. */
  public static final Duration WATERMARK_OVERLAP = Duration.ofMinutes(5);

  private RunModePolicy() {}

  public static RunMode decide(SyncState state, String strategy, int fullEveryNIncrementals, boolean fullRefreshRequested) {
    if (FULL_ONLY.equals(strategy) || fullRefreshRequested || state == null || state.forceFull()
        || !state.hasCompletedFullRefresh() || state.watermark() == null) {
      return RunMode.FULL;
    }
    if (fullEveryNIncrementals > 0 && state.incrementalsSinceFull() >= fullEveryNIncrementals) return RunMode.FULL;
    return RunMode.INCREMENTAL;
  }

  public static Instant readFrom(RunMode mode, SyncState state) {
    return mode == RunMode.FULL ? null : state.watermark().minus(WATERMARK_OVERLAP);
  }
}
