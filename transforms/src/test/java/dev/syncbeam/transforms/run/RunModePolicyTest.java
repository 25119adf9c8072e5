package dev.syncbeam.transforms.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncbeam.schemas.bookkeeping.SyncPhase;
import dev.syncbeam.transforms.model.RunMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule of full refreshes, incrementals and delete checks. */
class RunModePolicyTest {
  private static SyncState afterFull(int runsSinceFull) {
    return new SyncState(RunModePolicy.FULL_THEN_INCREMENTAL, SyncPhase.INCREMENTAL.value(), Instant.parse("2024-01-01T00:00:00Z"),
        false, null, false, runsSinceFull, null);
  }

  @Test
  void aDeleteCheckFollowsEveryNIncrementalsAndAFullRefreshWinsWhenDue() {
    List<RunMode> modes = new ArrayList<>();
    for (int since = 0; since < 7; since++) {
      modes.add(RunModePolicy.decide(afterFull(since), RunModePolicy.FULL_THEN_INCREMENTAL, 0, 2, false, false));
    }
    assertEquals(List.of(RunMode.INCREMENTAL, RunMode.INCREMENTAL, RunMode.DELETE_CHECK, RunMode.INCREMENTAL, RunMode.INCREMENTAL,
        RunMode.DELETE_CHECK, RunMode.INCREMENTAL), modes);
    assertEquals(RunMode.FULL, RunModePolicy.decide(afterFull(2), RunModePolicy.FULL_THEN_INCREMENTAL, 2, 2, false, false));
    assertEquals(RunMode.DELETE_CHECK, RunModePolicy.decide(afterFull(0), RunModePolicy.FULL_THEN_INCREMENTAL, 0, 0, false, true));
    // nothing to sweep against yet: the first run is a full refresh, whatever was asked
    assertEquals(RunMode.FULL, RunModePolicy.decide(null, RunModePolicy.FULL_THEN_INCREMENTAL, 0, 0, false, true));
    assertEquals(null, RunModePolicy.readFrom(RunMode.DELETE_CHECK, afterFull(3)), "a delete check lists every id");
  }
}
