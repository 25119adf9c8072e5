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
    return decide(state, strategy, fullEveryNIncrementals, 0, fullRefreshRequested, false);
  }

  /**
   * A full refresh wins over everything; a delete check (requested, or due) needs a completed full
   * refresh to sweep against. A delete check counts as a run since the last full refresh, so with
   * {@code deleteCheckEveryN} = N the runs after a full refresh go N incrementals, a delete check,
   * N incrementals, a delete check, and so on.
   */
  public static RunMode decide(SyncState state, String strategy, int fullEveryNIncrementals, int deleteCheckEveryN,
      boolean fullRefreshRequested, boolean deleteCheckRequested) {
    if (FULL_ONLY.equals(strategy) || fullRefreshRequested || state == null || state.forceFull()
        || !state.hasCompletedFullRefresh() || state.watermark() == null) {
      return RunMode.FULL;
    }
    if (fullEveryNIncrementals > 0 && state.incrementalsSinceFull() >= fullEveryNIncrementals) return RunMode.FULL;
    if (deleteCheckRequested) return RunMode.DELETE_CHECK;
    if (deleteCheckEveryN > 0 && state.incrementalsSinceFull() % (deleteCheckEveryN + 1) == deleteCheckEveryN) {
      return RunMode.DELETE_CHECK;
    }
    return RunMode.INCREMENTAL;
  }

  /** A full refresh and a delete check read everything there is; an incremental only from the watermark. */
  public static Instant readFrom(RunMode mode, SyncState state) {
    return mode.sweeps() ? null : state.watermark().minus(WATERMARK_OVERLAP);
  }
}
