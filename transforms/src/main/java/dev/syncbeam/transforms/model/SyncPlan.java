package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/** Every sync of one pipeline run, looked up by label; small, so DoFns carry it by value. */
public final class SyncPlan implements Serializable {
  private final LinkedHashMap<String, PlannedSync> byLabel = new LinkedHashMap<>();

  public SyncPlan(List<PlannedSync> syncs) {
    for (PlannedSync s : syncs) {
      if (byLabel.put(s.label(), s) != null) throw new IllegalArgumentException("sync " + s.label() + " is configured twice");
    }
  }

  public PlannedSync get(String label) {
    PlannedSync s = byLabel.get(label);
    if (s == null) throw new IllegalStateException("no planned sync " + label);
    return s;
  }

  public List<PlannedSync> syncs() {
    return List.copyOf(byLabel.values());
  }

  public boolean isEmpty() {
    return byLabel.isEmpty();
  }
}
