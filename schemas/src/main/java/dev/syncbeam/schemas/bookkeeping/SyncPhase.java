package dev.syncbeam.schemas.bookkeeping;

import java.util.Locale;

/** {@code _syncbeam_sync_state.phase}: whether the sync has completed its first full refresh yet. */
public enum SyncPhase {
  /** Known, but no full refresh has completed: the next run is full. */
  CREATED,
  /** A full refresh completed: later runs may be incremental. */
  INCREMENTAL;

  /** As stored. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SyncPhase of(String stored) {
    for (SyncPhase p : values()) {
      if (p.value().equals(stored)) return p;
    }
    throw new IllegalArgumentException("unknown sync phase '" + stored + "' in _syncbeam_sync_state");
  }
}
