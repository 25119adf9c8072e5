package dev.syncbeam.schemas.bookkeeping;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a sync's runs alternate between full and incremental refreshes; stored in {@code _syncbeam_sync_state.strategy}. */
public enum SyncStrategy {
  /** First run full, later runs incremental; a full run every N incrementals when configured, or when requested. */
  FULL_THEN_INCREMENTAL,
  /** Every run is a full refresh. */
  FULL_ONLY;

  /** As written in syncbeam.yaml and stored. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SyncStrategy of(String value) {
    for (SyncStrategy s : values()) {
      if (s.value().equals(value)) return s;
    }
    throw new IllegalArgumentException("must be " + Arrays.stream(values()).map(SyncStrategy::value)
        .collect(Collectors.joining(" or ")) + ", not '" + value + "'");
  }
}
