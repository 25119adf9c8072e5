package dev.syncbeam.transforms.model;

/**
 * What one run of a sync reads: everything (then sweeps), what changed since the watermark, or
 * only the ids of what the provider still has (then sweeps, writing nothing else).
 */
public enum RunMode {
  FULL("full"),
  INCREMENTAL("incremental"),
  DELETE_CHECK("delete_check");

  public final String label;

  RunMode(String label) {
    this.label = label;
  }

  /** Whether the run ends with the sweep of rows it did not see. */
  public boolean sweeps() {
    return this != INCREMENTAL;
  }
}
