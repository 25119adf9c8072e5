package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Where a DoFn finds the run an element belongs to: a plan fixed when the graph was built (a batch
 * sync), or the plan of the element's window, as a side input (a stream, whose runs are planned by
 * the pipeline itself at each tick and so cannot be known when it is built).
 */
public final class RunPlans implements Serializable {
  private final SyncPlan fixed;
  private final PCollectionView<List<PlannedSync>> perWindow;
  private transient List<PlannedSync> lastSeen;
  private transient SyncPlan lastPlan;

  private RunPlans(SyncPlan fixed, PCollectionView<List<PlannedSync>> perWindow) {
    this.fixed = fixed;
    this.perWindow = perWindow;
  }

  public static RunPlans of(SyncPlan plan) {
    return new RunPlans(plan, null);
  }

  /** The runs planned in each window, read by every step as a side input of that window. */
  public static RunPlans perWindow(PCollectionView<List<PlannedSync>> view) {
    return new RunPlans(null, view);
  }

  /** The fixed plan, or null for a plan per window. */
  public SyncPlan fixed() {
    return fixed;
  }

  /** What a ParDo reading these plans must declare with {@code withSideInputs}. */
  public List<PCollectionView<?>> sideInputs() {
    return perWindow == null ? List.of() : List.of(perWindow);
  }

  public PlannedSync get(DoFn<?, ?>.ProcessContext c, String runKey) {
    return plan(c).get(runKey);
  }

  private SyncPlan plan(DoFn<?, ?>.ProcessContext c) {
    if (fixed != null) return fixed;
    List<PlannedSync> runs = c.sideInput(perWindow);
    if (runs != lastSeen) {
      // the runner hands back the same list for every element of a window: build the index once
      lastPlan = new SyncPlan(runs);
      lastSeen = runs;
    }
    return lastPlan;
  }
}
