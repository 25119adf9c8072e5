package dev.syncbeam.transforms.run;

import java.time.Instant;

/** One row of {@code _syncbeam_sync_state}. */
public record SyncState(
    String strategy,
    String phase,
    Instant watermark,
    boolean paused,
    String pausedReason,
    boolean forceFull,
    int incrementalsSinceFull,
    Instant lastEmittedAt) {

  public static final String PHASE_CREATED = "created";
  public static final String PHASE_INCREMENTAL = "incremental";

  public boolean hasCompletedFullRefresh() {
    return PHASE_INCREMENTAL.equals(phase);
  }
}
