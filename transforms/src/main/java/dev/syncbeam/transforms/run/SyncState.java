package dev.syncbeam.transforms.run;

import dev.syncbeam.schemas.bookkeeping.SyncPhase;
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

  public boolean hasCompletedFullRefresh() {
    return SyncPhase.INCREMENTAL.value().equals(phase);
  }
}
