package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.runners.BundledJar.Outcome;
import dev.syncbeam.runners.HubSpotExtract.Rec;
import dev.syncbeam.runners.flink.ClusterProcess;
import dev.syncbeam.runners.flink.FlinkRest;
import dev.syncbeam.runners.flink.LocalFlinkCluster;
import dev.syncbeam.runners.flink.LocalFlinkCluster.ClusterState;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SyncBeam on a real standalone Flink session cluster: one JobManager and two TaskManagers (two
 * slots each) in processes of their own, started by the code behind {@code syncbeam flink-cluster
 * start}, with jobs shipping the bundled jar. The syncs must land exactly as on the Direct runner,
 * a large one must spread over both TaskManagers, a detached submission must finish on its own, and
 * a TaskManager killed mid-run must never cost a false delete. Nothing may be left running afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlinkClusterIT {
  private static final int TASK_MANAGERS = 2;
  private static final int SLOTS = 2;
  private static final int LARGE_RECORDS = 100_000;
  /** Every 100th record of the large extract is gone from the second one: a full refresh must mark exactly those deleted. */
  private static final int GONE_EVERY = 100;
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

  private Path home;
  private LocalFlinkCluster cluster;
  private ClusterState state;
  private String master;
  private FlinkRest rest;
  private Thread stopOnExit;

  // the large sync's destination and extract root, shared by the spread test and the kill test after it
  private RunnerDestination large;
  private Path largeRoot;

  @BeforeAll
  void startCluster() throws IOException {
    home = Files.createTempDirectory("syncbeam-flink-it");
    cluster = new LocalFlinkCluster(home);
    // a JVM that exits early (Ctrl-C, a fork timeout) still ends the cluster's processes
    stopOnExit = new Thread(this::stopQuietly, "flink-cluster-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    long t0 = System.nanoTime();
    state = cluster.start(LocalFlinkCluster.Spec.of(TASK_MANAGERS, SLOTS, 0), Duration.ofMinutes(3));
    System.out.printf("Flink cluster (1 JobManager, %d TaskManagers x %d slots) accepting jobs after %,d ms on port %d%n",
        TASK_MANAGERS, SLOTS, (System.nanoTime() - t0) / 1_000_000, state.restPort());
    master = "localhost:" + state.restPort();
    rest = new FlinkRest(master);
  }

  @AfterAll
  void stopClusterAndLeaveNothingBehind() throws IOException {
    try {
      cluster.stop().forEach(line -> System.out.println("flink-cluster stop: " + line));
      if (state != null) {
        for (ClusterProcess p : state.processes()) {
          assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), p.role() + " (pid " + p.pid() + ") is still running");
        }
      }
      assertFalse(Files.exists(cluster.stateFile()), "stop removes the cluster record");
    } finally {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
      deleteTree(home);
    }
  }

  private void stopQuietly() {
    try {
      cluster.stop();
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the test's Flink cluster: " + e.getMessage());
    }
  }

  /** Beam options that submit to the cluster, shipping the bundled jar (this JVM's classpath is not one jar). */
  private String[] onCluster(int parallelism, String... more) {
    return Stream.concat(Stream.of("--runner=FlinkRunner", "--flinkMaster=" + master, "--parallelism=" + parallelism,
        "--filesToStage=" + BundledJar.path()), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  @Order(1)
  void fullThenIncrementalLandsAsOnDirect(@TempDir Path tmp) throws Exception {
    ParityScenarios.fullThenIncremental(tmp,
        new RunnerDestination("Direct", ParityScenarios.SPLIT), new RunnerDestination("FlinkCluster", onCluster(4, ParityScenarios.SPLIT)));
  }

  /**
   * The REST API serves the metrics TaskManagers last reported, which can trail a finished job for a
   * few seconds: asks again, for up to 30 s, until the sink's count covers every record.
   */
  private Map<String, Map<String, Long>> reportedRecordsPerTaskManager(String jobId) throws Exception {
    Map<String, Map<String, Long>> perStep = recordsPerTaskManager(jobId);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sinkTotal(perStep) < LARGE_RECORDS && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      perStep = recordsPerTaskManager(jobId);
    }
    return perStep;
  }

  private static long sinkTotal(Map<String, Map<String, Long>> perStep) {
    return perStep.entrySet().stream().filter(e -> e.getKey().contains("WriteToPostgres"))
        .flatMap(e -> e.getValue().values().stream()).mapToLong(Long::longValue).sum();
  }

  @Test
  @Order(2)
  void largeSyncSpreadsOverBothTaskManagers() throws Exception {
    largeRoot = Files.createTempDirectory(home, "large-extract");
    largeExtract(false).writeTo(largeRoot);
    large = new RunnerDestination("FlinkClusterLarge", onCluster(4, "--extractSplitBytes=" + (512 << 10)));
    String jobName = "syncbeam-it-spread-" + System.currentTimeMillis();
    HeapSampler heap = new HeapSampler(rest);
    heap.start();
    try {
      large.run(largeSyncs(), "--jobName=" + jobName);
    } finally {
      heap.stop();
    }
    assertEquals(List.of(LARGE_RECORDS + " rows, 0 deleted"), large.rowCounts("hubspot_contacts"));
    assertEquals(List.of("full SUCCESS read=" + LARGE_RECORDS + " written=" + LARGE_RECORDS + " deleted=0 skipped=0 dead=0"),
        large.runSummaries("contacts"));

    String jobId = jobId(jobName);
    Map<String, Map<String, Long>> writtenPerStep = reportedRecordsPerTaskManager(jobId);
    writtenPerStep.forEach((vertex, perTm) -> System.out.println("records in, per TaskManager: " + perTm + "  <- " + vertex));
    Map<String, Long> sink = writtenPerStep.entrySet().stream().filter(e -> e.getKey().contains("WriteToPostgres"))
        .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("no WriteToPostgres vertex in " + writtenPerStep.keySet()));
    assertEquals(TASK_MANAGERS, sink.size(), "both TaskManagers ran the sink: " + sink);
    for (Map.Entry<String, Long> tm : sink.entrySet()) {
      assertTrue(tm.getValue() > LARGE_RECORDS / 10, tm.getKey() + " wrote only " + tm.getValue() + " of " + LARGE_RECORDS + " records: " + sink);
    }
    // the sink's input also carries a few per-split count records, so at least every record
    assertTrue(sink.values().stream().mapToLong(Long::longValue).sum() >= LARGE_RECORDS, "every record reached the sink: " + sink);
    System.out.printf("peak TaskManager heap during the %,d-record sync at parallelism 4: %s (of %s MB each)%n",
        LARGE_RECORDS, heap.peakMb(), heap.maxMb());
  }

  @Test
  @Order(3)
  void theBundledJarSubmitsDetachedAndStatusShowsHowTheRunEnded(@TempDir Path tmp) throws Exception {
    RunnerDestination db = new RunnerDestination("FlinkClusterCli");
    List<Rec> contacts = new ArrayList<>();
    for (int i = 1; i <= 2_000; i++) contacts.add(contact(i, Instant.parse("2024-04-01T00:00:00Z"), ""));
    new HubSpotExtract().add("contacts", "contacts.ndjson", contacts).writeTo(tmp.resolve("extract"));
    Files.writeString(tmp.resolve("syncbeam.yaml"), """
        application_id: cli-app
        destination:
          url: %s
          user: postgres
          password: postgres
          schema: supaglue
        syncs:
          - customer_id: acme
            provider: hubspot
            source: { extract: ./extract }
            standard_objects: [contacts]
        """.formatted(db.url), StandardCharsets.UTF_8);
    Path jar = BundledJar.path();
    // no --parallelism (the cluster's slots) and no --filesToStage (Beam stages the jar the command runs from)
    Outcome detached = BundledJar.run(jar, tmp, COMMAND_TIMEOUT, "sync", "--config", "syncbeam.yaml",
        "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + state.restPort(), "--attachedMode=false");
    assertEquals(0, detached.exitCode(), detached.output());
    assertTrue(detached.output().contains("submitted job syncbeam-"), detached.output());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!db.query("SELECT count(*) FROM supaglue._syncbeam_sync_runs WHERE status = 'IN_PROGRESS'").equals(List.of("0"))) {
      assertTrue(System.nanoTime() < deadline, "the detached run did not finish within 3 minutes");
      Thread.sleep(1_000);
    }
    assertEquals(List.of("full SUCCESS read=2000 written=2000 deleted=0 skipped=0 dead=0"), db.runSummaries("contacts"));
    assertEquals(List.of("2000 rows, 0 deleted"), db.rowCounts("hubspot_contacts"));
    Outcome status = BundledJar.run(jar, tmp, COMMAND_TIMEOUT, "status", "--config", "syncbeam.yaml");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(status.output().matches("(?s).*acme/hubspot/contacts\\s*\\|\\s*full\\s*\\|\\s*SUCCESS.*"), status.output());
  }

  @Test
  @Order(4)
  void aTaskManagerKilledMidRunNeverCostsAFalseDelete() throws Exception {
    assertNotNull(large, "runs after the large sync, whose rows it re-syncs");
    Path v2 = Files.createTempDirectory(home, "large-extract-v2");
    largeExtract(true).writeTo(v2);
    List<SyncDefinition> syncs = largeSyncs(v2);
    // parallelism 2: after the kill, the surviving TaskManager's two slots can run the restarted job
    RunnerDestination two = large.withArgs(onCluster(2, "--extractSplitBytes=" + (512 << 10)));
    String jobName = "syncbeam-it-kill-" + System.currentTimeMillis();
    CompletableFuture<SyncJob.Result> run = CompletableFuture.supplyAsync(() -> {
      try {
        return two.runOnce(syncs, true, "--jobName=" + jobName);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    awaitRowsWrittenByTheRunningRun(two, run);
    String victim = taskManagerRunning(jobId(jobName));
    ClusterProcess tm = state.processes().stream().filter(p -> p.role().equals(victim)).findFirst().orElseThrow();
    ProcessHandle handle = tm.handle().orElseThrow(() -> new AssertionError(victim + " is not running"));
    long killedAt = System.nanoTime();
    assertTrue(handle.destroyForcibly(), "SIGKILL to " + victim);
    handle.onExit().get(30, TimeUnit.SECONDS);
    System.out.println("killed " + victim + " (pid " + tm.pid() + ") with SIGKILL while the full refresh was writing");

    SyncJob.Result result = run.get(4, TimeUnit.MINUTES);
    long restartMs = (System.nanoTime() - killedAt) / 1_000_000;
    List<String> runs = two.runSummaries("contacts");
    String killedRun = runs.get(runs.size() - 1);
    int gone = LARGE_RECORDS / GONE_EVERY;
    if (result.allSucceeded()) {
      List<String> failures = failuresRecorded(jobId(jobName));
      System.out.printf("the run completed after Flink restarted it, %,d ms after the kill; Flink recorded %s%n", restartMs, failures);
      assertFalse(failures.isEmpty(), "Flink recorded no task failure: the kill hit no running task");
      assertEquals("full SUCCESS read=" + (LARGE_RECORDS - gone) + " written=" + (LARGE_RECORDS - gone) + " deleted=" + gone
          + " skipped=0 dead=0", killedRun);
      assertEquals(List.of(LARGE_RECORDS + " rows, " + gone + " deleted"), two.rowCounts("hubspot_contacts"));
    } else {
      System.out.printf("the run was recorded failed %,d ms after the kill: %s%n", restartMs,
          two.query("SELECT error FROM supaglue._syncbeam_sync_runs ORDER BY run_id DESC LIMIT 1"));
      assertTrue(killedRun.startsWith("full FAILURE ") && killedRun.contains(" deleted=0 "), killedRun);
      assertEquals(List.of(LARGE_RECORDS + " rows, 0 deleted"), two.rowCounts("hubspot_contacts"), "a failed run marks nothing deleted");
    }

    // the next full refresh, on what is left of the cluster, is exact
    assertTrue(two.runOnce(syncs, true).allSucceeded(), "the run after the kill");
    String next = two.runSummaries("contacts").get(runs.size());
    assertTrue(next.startsWith("full SUCCESS read=" + (LARGE_RECORDS - gone) + " written=" + (LARGE_RECORDS - gone) + " "), next);
    Map<String, ParityScenarios.Expected> landed = two.landed("hubspot_contacts", null);
    assertEquals(LARGE_RECORDS, landed.size());
    for (Map.Entry<String, ParityScenarios.Expected> e : landed.entrySet()) {
      boolean goneFromExtract = Integer.parseInt(e.getKey()) % GONE_EVERY == 0;
      assertEquals(goneFromExtract, e.getValue().deleted(), "contact " + e.getKey() + " deleted flag after the next run");
    }
  }

  // ---------------------------------------------------------------- the large extract

  private static Rec contact(int i, Instant base, String suffix) {
    Instant updated = base.plusSeconds(i);
    return new Rec(Integer.toString(i), base.minus(Duration.ofDays(30)), updated, false, null, Map.of(
        "firstname", "First" + i + suffix, "lastname", "Last" + i, "email", "person" + i + "@example.com",
        "lifecyclestage", i % 4 == 0 ? "customer" : "lead"));
  }

  /** LARGE_RECORDS contacts in one NDJSON file (split into byte ranges); {@code withoutGone} leaves out every GONE_EVERY-th. */
  private static HubSpotExtract largeExtract(boolean withoutGone) {
    List<Rec> recs = new ArrayList<>(LARGE_RECORDS);
    for (int i = 1; i <= LARGE_RECORDS; i++) {
      if (withoutGone && i % GONE_EVERY == 0) continue;
      recs.add(contact(i, Instant.parse("2024-02-01T00:00:00Z"), ""));
    }
    return new HubSpotExtract().add("contacts", "contacts.ndjson", recs);
  }

  private List<SyncDefinition> largeSyncs() {
    return largeSyncs(largeRoot);
  }

  private static List<SyncDefinition> largeSyncs(Path root) {
    return List.of(new SyncDefinition(new SyncKey(ParityScenarios.APP, "hubspot", "large", "contacts"), root.toString(),
        ObjectTables.standardTableName("hubspot", "contacts"), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0));
  }

  // ---------------------------------------------------------------- the cluster's REST API

  private String jobId(String jobName) throws IOException {
    for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
      if (job.path("name").asText().equals(jobName)) return job.path("jid").asText();
    }
    throw new AssertionError("no job named " + jobName + " on the cluster");
  }

  /** For each vertex of the job: records it received, per TaskManager that ran a subtask of it. */
  private Map<String, Map<String, Long>> recordsPerTaskManager(String jobId) throws IOException {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (JsonNode vertex : rest.get("/jobs/" + jobId).path("vertices")) {
      Map<String, Long> perTm = new TreeMap<>();
      for (JsonNode tm : rest.get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
        perTm.merge(tm.path("taskmanager-id").asText(), tm.path("metrics").path("read-records").asLong(), Long::sum);
      }
      out.put(vertex.path("name").asText(), perTm);
    }
    return out;
  }

  /** A TaskManager running subtasks of the job (taskmanager-2 when both do). */
  private String taskManagerRunning(String jobId) throws IOException {
    List<String> running = new ArrayList<>();
    for (JsonNode vertex : rest.get("/jobs/" + jobId).path("vertices")) {
      for (JsonNode tm : rest.get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
        String id = tm.path("taskmanager-id").asText();
        if (!running.contains(id)) running.add(id);
      }
    }
    assertFalse(running.isEmpty(), "no TaskManager runs job " + jobId);
    return running.stream().max(Comparator.naturalOrder()).orElseThrow();
  }

  /** What Flink recorded failing in the job (its exception history): exception and TaskManager, one entry each. */
  private List<String> failuresRecorded(String jobId) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : rest.get("/jobs/" + jobId + "/exceptions?maxExceptions=20").path("exceptionHistory").path("entries")) {
      out.add(e.path("exceptionName").asText() + " on " + e.path("taskManagerId").asText("?"));
    }
    return out;
  }

  /** Waits until batches of the run in progress commit (their ids join its seen keys), so the kill hits it mid-write. */
  private static void awaitRowsWrittenByTheRunningRun(RunnerDestination db, CompletableFuture<?> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      assertFalse(run.isDone(), "the run ended before any of its rows was seen: " + (run.isDone() ? run.get() : ""));
      assertTrue(System.nanoTime() < deadline, "no rows of the running run landed within 3 minutes");
      List<String> n = db.query("SELECT count(*) FROM supaglue._syncbeam_seen_keys k JOIN supaglue._syncbeam_sync_runs r"
          + " ON r.status = 'IN_PROGRESS' AND k.run_id = r.run_id");
      if (!n.equals(List.of("0"))) {
        System.out.println(n.get(0) + " records of the running full refresh have been written");
        return;
      }
      Thread.sleep(200);
    }
  }

  /** Samples every TaskManager's used heap through the REST metrics while a job runs. */
  private static final class HeapSampler {
    private final FlinkRest rest;
    private final Map<String, Long> peak = new ConcurrentHashMap<>();
    private final Map<String, Long> max = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::sample, "tm-heap-sampler");

    HeapSampler(FlinkRest rest) {
      this.rest = rest;
    }

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private void sample() {
      while (running.get()) {
        try {
          for (JsonNode tm : rest.get("/taskmanagers").path("taskmanagers")) {
            String id = tm.path("id").asText();
            for (JsonNode m : rest.get("/taskmanagers/" + id + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max")) {
              long v = m.path("value").asLong();
              if (m.path("id").asText().endsWith("Used")) peak.merge(id, v, Math::max);
              else max.put(id, v);
            }
          }
          Thread.sleep(500);
        } catch (IOException e) {
          // a sample lost; the next one counts
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    String peakMb() {
      Map<String, Long> mb = new TreeMap<>();
      peak.forEach((k, v) -> mb.put(k, v >> 20));
      return mb + " MB";
    }

    String maxMb() {
      return max.values().stream().findFirst().map(v -> Long.toString(v >> 20)).orElse("?");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.delete(f);
    }
  }
}
