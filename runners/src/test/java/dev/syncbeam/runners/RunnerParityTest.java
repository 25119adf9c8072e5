package dev.syncbeam.runners;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner parity: the same syncs run on the Direct runner and on an embedded Flink cluster with
 * parallelism 2, each into its own fresh database on real PostgreSQL, must leave identical tables,
 * run records and sync state, and exactly the rows the extract implies.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunnerParityTest {
  private static final String[] FLINK = {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2", ParityScenarios.SPLIT};

  @Test
  void fullThenIncrementalLandsTheSameOnDirectAndFlink(@TempDir Path tmp) throws Exception {
    ParityScenarios.fullThenIncremental(tmp, new RunnerDestination("Direct", ParityScenarios.SPLIT), new RunnerDestination("Flink", FLINK));
  }
}
