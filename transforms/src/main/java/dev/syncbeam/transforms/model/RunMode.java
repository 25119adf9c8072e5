package dev.syncbeam.transforms.model;

/** What one run of a sync reads: everything (then sweeps), or what changed since the watermark. */
public enum RunMode {
  FULL("full"),
  INCREMENTAL("incremental");

  public final String label;

  RunMode(String label) {
    this.label = label;
  }
}
