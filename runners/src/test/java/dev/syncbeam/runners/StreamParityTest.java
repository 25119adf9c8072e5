package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.StreamJob;
import dev.syncbeam.pipelines.SyncDefinition;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream's one unbounded graph on the Direct runner (streaming) and on an embedded Flink cluster
 * with {@code --streaming}: each runs every sync (period 2s) full, then incrementally, and both leave
 * identical object tables. Stopping a stream ends its job: no thread of it is left running.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StreamParityTest {
  @Test
  void theStreamLandsTheSameOnDirectAndFlink(@TempDir Path tmp) throws Exception {
    Path root = ParityScenarios.firstExtract().writeTo(tmp.resolve("v1"));
    List<SyncDefinition> syncs = ParityScenarios.hubspotSyncs(root).stream().map(s -> s.withPeriod(Duration.ofSeconds(2))).toList();
    RunnerDestination direct = new RunnerDestination("StreamDirect", ParityScenarios.SPLIT);
    RunnerDestination flink = new RunnerDestination("StreamFlink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--streaming", ParityScenarios.SPLIT);
    for (RunnerDestination r : List.of(direct, flink)) stream(r, syncs);
    List<String> tables = direct.objectTables();
    assertEquals(tables, flink.objectTables());
    assertTrue(!tables.isEmpty());
    for (String tableAndDeleted : tables) {
      String table = tableAndDeleted.split(" ")[0];
      assertEquals(direct.rowCounts(tableAndDeleted), flink.rowCounts(tableAndDeleted), table);
      assertEquals(direct.rows(table), flink.rows(table), table + " differs between the runners");
    }
  }

  /** Streams until every sync has had a successful full run and a successful incremental one after it, then stops. */
  private static void stream(RunnerDestination r, List<SyncDefinition> syncs) throws Exception {
    StreamJob job = new StreamJob(r.destination(), new PrintStream(System.out, true), Duration.ofSeconds(30));
    Thread t = new Thread(() -> {
      try {
        job.run(syncs, RunnerOptions.parse(r.beamArgs));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "stream-" + r.name);
    Set<Thread> before = nonDaemon();
    long start = System.nanoTime();
    t.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline && !bothModesDone(r, syncs.size())) Thread.sleep(250);
      assertTrue(bothModesDone(r, syncs.size()), r.name + ": runs " + r.query("SELECT object_name || ' ' || strategy || ' '"
          + " || status || ' ' || coalesce(error, '') FROM supaglue._syncbeam_sync_runs ORDER BY run_id"));
    } finally {
      job.stop(Duration.ofSeconds(30));
      t.join(60_000);
    }
    assertFalse(t.isAlive(), r.name + ": the stream returns once stopped");
    // the embedded Flink cluster goes with its cancelled job; a thread of it left running would keep the JVM up
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !started(before).isEmpty()) Thread.sleep(250);
    assertEquals(List.of(), started(before), r.name + ": threads left running after the stream stopped");
    System.out.printf("%s stream: full and incremental runs of %d syncs in %,d ms%n", r.name, syncs.size(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Threads the JVM waits for at exit. */
  private static Set<Thread> nonDaemon() {
    return Thread.getAllStackTraces().keySet().stream().filter(th -> th.isAlive() && !th.isDaemon()).collect(Collectors.toSet());
  }

  /** Names of the threads the JVM would wait for that were not there {@code before}. */
  private static List<String> started(Set<Thread> before) {
    return nonDaemon().stream().filter(th -> !before.contains(th)).map(Thread::getName).sorted().toList();
  }

  private static boolean bothModesDone(RunnerDestination r, int syncs) {
    try {
      return Integer.parseInt(r.query("SELECT count(DISTINCT object_name) FROM supaglue._syncbeam_sync_runs i WHERE strategy = 'incremental'"
          + " AND status = 'SUCCESS'").get(0)) == syncs;
    } catch (Exception notYet) {
      return false;
    }
  }
}
