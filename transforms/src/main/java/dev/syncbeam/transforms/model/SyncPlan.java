package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/** Every sync run of one pipeline (or one stream tick), looked up by run key; small, so DoFns carry it by value. */
public final class SyncPlan implements Serializable {
  private final LinkedHashMap<String, PlannedSync> byLabel = new LinkedHashMap<>();

  public SyncPlan(List<PlannedSync> syncs) {
    for (PlannedSync s : syncs) {
      if (byLabel.put(s.runKey(), s) != null) throw new IllegalArgumentException("sync " + s.label() + " is configured twice");
    }
  }

  public PlannedSync get(String runKey) {
    PlannedSync s = byLabel.get(runKey);
    if (s == null) throw new IllegalStateException("no planned run " + runKey);
    return s;
  }

  public List<PlannedSync> syncs() {
    return List.copyOf(byLabel.values());
  }

  public boolean isEmpty() {
    return byLabel.isEmpty();
  }
}
