package dev.syncbeam.runners.flink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine: one JobManager and N TaskManager processes,
 * each its own JVM started from the Flink jars on SyncBeam's own classpath (flink-runtime holds both
 * entry points), bound to loopback. Everything lives under one home folder: the generated config in
 * {@code conf/}, a copy of the jars in {@code lib/}, logs in {@code log/}, Flink's scratch space in
 * {@code tmp/}, and {@code cluster.json}
 * naming each process it started, so {@code stop} ends exactly those.
 */
public final class LocalFlinkCluster {
  public static final Path DEFAULT_HOME = Path.of(".syncbeam", "flink");
  public static final String LOOPBACK = "127.0.0.1";
  // a state file from another SyncBeam version may name more; what a process is stays the same
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int LOG_TAIL_LINES = 25;
  private static final MemorySize NETWORK_MEMORY = MemorySize.parse("256m");

  /**
   * Flink on Java 17 needs these, as its own distribution sets them in env.java.opts.all: Kryo and
   * the RPC system reach into JDK internals.
   */
  private static final List<String> JAVA_17_OPENS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** What to start; {@code restPort} 0 takes a free port. */
  public record Spec(int taskManagers, int slotsPerTaskManager, int restPort, MemorySize taskManagerMemory, MemorySize jobManagerMemory) {
    public static final MemorySize DEFAULT_TASK_MANAGER_MEMORY = MemorySize.parse("2048m");
    public static final MemorySize DEFAULT_JOB_MANAGER_MEMORY = MemorySize.parse("1024m");

    public Spec {
      if (taskManagers < 1) throw new IllegalArgumentException("--taskmanagers must be at least 1, not " + taskManagers);
      if (slotsPerTaskManager < 1) throw new IllegalArgumentException("--slots must be at least 1, not " + slotsPerTaskManager);
      if (restPort < 0 || restPort > 65535) throw new IllegalArgumentException("--port must be a TCP port (0 for any free one), not " + restPort);
    }

    public static Spec of(int taskManagers, int slotsPerTaskManager, int restPort) {
      return new Spec(taskManagers, slotsPerTaskManager, restPort, DEFAULT_TASK_MANAGER_MEMORY, DEFAULT_JOB_MANAGER_MEMORY);
    }

    int totalSlots() {
      return taskManagers * slotsPerTaskManager;
    }
  }

  /** What {@code cluster.json} records: the REST port and every process started. */
  public record ClusterState(int restPort, String confDir, List<ClusterProcess> processes) {
    public String master() {
      return LOOPBACK + ":" + restPort;
    }
  }

  private final Path home;
  private final String classpath;

  /** A cluster whose processes run from this JVM's classpath. */
  public LocalFlinkCluster(Path home) {
    this(home, System.getProperty("java.class.path"));
  }

  LocalFlinkCluster(Path home, String classpath) {
    this.home = home.toAbsolutePath().normalize();
    this.classpath = classpath;
  }

  public Path home() {
    return home;
  }

  /**
   * Starts the cluster and returns once it accepts jobs: every TaskManager registered with all its
   * slots. A process that dies on the way, or a cluster not ready within {@code timeout}, ends every
   * process started and fails with the tail of the log that says why.
   */
  public ClusterState start(Spec spec, Duration timeout) throws IOException {
    Optional<ClusterState> previous = state();
    if (previous.isPresent()) {
      List<ClusterProcess> alive = previous.get().processes().stream().filter(ClusterProcess::alive).toList();
      if (!alive.isEmpty()) {
        throw new IllegalStateException("a Flink cluster started in " + home + " is still running (" + describe(alive)
            + ", flink_master " + previous.get().master() + "); `syncbeam flink-cluster stop` ends it");
      }
    }
    int restPort = spec.restPort() == 0 ? freePort() : requireFreePort(spec.restPort());
    Path conf = writeConfig(spec, restPort, freePort());
    Files.createDirectories(home.resolve("log"));
    List<ClusterProcess> started = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    ClusterState state = new ClusterState(restPort, conf.toString(), started);
    try {
      Configuration config = GlobalConfiguration.loadConfiguration(conf.toString());
      Path classpathArgs = snapshotClasspath();
      launch("jobmanager", StandaloneSessionClusterEntrypoint.class, classpathArgs, jobManagerJvm(config), conf, List.of(), started, processes);
      writeState(state);
      for (int i = 1; i <= spec.taskManagers(); i++) {
        String role = "taskmanager-" + i;
        launch(role, TaskManagerRunner.class, classpathArgs, taskManagerJvm(config), conf,
            List.of("-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + role), started, processes);
        writeState(state);
      }
      awaitReady(spec, state, processes, timeout);
      return state;
    } catch (IOException | RuntimeException e) {
      for (ClusterProcess p : started) p.stop(STOP_GRACE);
      Files.deleteIfExists(stateFile());
      throw e;
    }
  }

  /** Ends the processes {@code start} recorded (those still alive and still the ones it started); returns one line per process. */
  public List<String> stop() throws IOException {
    Optional<ClusterState> state = state();
    if (state.isEmpty()) return List.of("no Flink cluster recorded in " + stateFile());
    List<String> lines = new ArrayList<>();
    // TaskManagers first, so the JobManager does not spend the shutdown restarting jobs on them
    List<ClusterProcess> order = new ArrayList<>(state.get().processes());
    Collections.reverse(order);
    for (ClusterProcess p : order) lines.add(p.role() + " (pid " + p.pid() + "): " + p.stop(STOP_GRACE));
    Files.delete(stateFile());
    // the jar copies and Flink's scratch space go; the config and logs stay for a look afterwards
    deleteTree(home.resolve("lib"));
    deleteTree(home.resolve("tmp"));
    return lines;
  }

  /** The recorded cluster, if {@code start} left one (its processes may since have died). */
  public Optional<ClusterState> state() throws IOException {
    Path file = stateFile();
    if (!Files.exists(file)) return Optional.empty();
    return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
  }

  public Path stateFile() {
    return home.resolve("cluster.json");
  }

  // ------------------------------------------------------------------------------------ config

  /** The cluster's config file: everything on loopback, memory sized for a small shared machine, quick failure detection. */
  Path writeConfig(Spec spec, int restPort, int rpcPort) throws IOException {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    Configuration c = new Configuration();
    c.set(JobManagerOptions.ADDRESS, LOOPBACK);
    c.set(JobManagerOptions.BIND_HOST, LOOPBACK);
    c.set(JobManagerOptions.PORT, rpcPort);
    c.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, spec.jobManagerMemory());
    c.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "region");
    // a job asking for more slots than the cluster has fails in a minute instead of Flink's five
    c.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, 60_000L);
    c.set(TaskManagerOptions.HOST, LOOPBACK);
    c.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, spec.slotsPerTaskManager());
    c.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, spec.taskManagerMemory());
    // Beam's batch translation sorts little; the heap holds the sink's COPY batches
    c.set(TaskManagerOptions.MANAGED_MEMORY_FRACTION, 0.1f);
    // the sync graph has many exchanges per slot: Flink's default 10% runs out of buffers at 2 slots
    c.set(TaskManagerOptions.NETWORK_MEMORY_MIN, NETWORK_MEMORY);
    c.set(TaskManagerOptions.NETWORK_MEMORY_MAX, NETWORK_MEMORY);
    // every job loads Beam and SyncBeam afresh in its own class loader
    c.set(TaskManagerOptions.JVM_METASPACE, MemorySize.parse("320m"));
    c.set(RestOptions.ADDRESS, LOOPBACK);
    c.set(RestOptions.BIND_ADDRESS, LOOPBACK);
    c.set(RestOptions.PORT, restPort);
    c.set(CoreOptions.DEFAULT_PARALLELISM, spec.totalSlots());
    c.set(CoreOptions.TMP_DIRS, tmp.toString());
    c.set(WebOptions.TMP_DIR, tmp.toString());
    // the JDBC driver registers itself with DriverManager: loaded per job, it would pin every job's class loader
    c.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, List.of("org.postgresql."));
    c.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    c.set(ClusterOptions.EVENLY_SPREAD_OUT_SLOTS_STRATEGY, true);
    // the REST API (status, web UI, tests) sees metrics at most this old
    c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, 2_000L);
    // a lost TaskManager is noticed in seconds, and the job restarts on the slots that are left
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, 2_000L);
    c.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, 15_000L);
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    List<String> lines = new ArrayList<>();
    lines.add("# written by `syncbeam flink-cluster start`: a local session cluster on loopback");
    lines.addAll(ConfigurationUtils.convertConfigToWritableLines(c, false));
    Files.write(conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), lines, StandardCharsets.UTF_8);
    return conf;
  }

  /** Heap, direct and metaspace limits the JobManager's memory settings imply, as Flink's start scripts compute them. */
  private static List<String> jobManagerJvm(Configuration config) {
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(config, JobManagerOptions.JVM_HEAP_MEMORY);
    List<String> args = new ArrayList<>(words(JobManagerProcessUtils.generateJvmParametersStr(spec, config)));
    args.add("--");
    args.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    return args;
  }

  /** The same for a TaskManager; its memory breakdown also goes to the process as dynamic properties, which it checks. */
  private static List<String> taskManagerJvm(Configuration config) {
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
        TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(config, TaskManagerOptions.TOTAL_FLINK_MEMORY));
    List<String> args = new ArrayList<>(words(ProcessMemoryUtils.generateJvmParametersStr(spec)));
    args.add("--");
    args.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    return args;
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  // ------------------------------------------------------------------------------------ processes

  /**
   * Starts one cluster process. {@code memory} holds JVM flags, then "--", then the dynamic
   * properties the entry point takes after {@code --configDir}.
   */
  private void launch(String role, Class<?> main, Path classpathArgs, List<String> memory, Path conf, List<String> extraDynamic,
                      List<ClusterProcess> started, List<Process> processes) throws IOException {
    int split = memory.indexOf("--");
    Path log = home.resolve("log").resolve(role + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // first, so they survive the OS's cut of long command lines: what stop and status check a pid against
    cmd.add(ClusterProcess.HOME_PROPERTY + "=" + home);
    cmd.add(ClusterProcess.ROLE_PROPERTY + "=" + role);
    cmd.addAll(memory.subList(0, split));
    cmd.addAll(JAVA_17_OPENS);
    cmd.add("-Dlog.file=" + log);
    // Flink's own progress belongs in its log; SyncBeam's CLI settings silence it
    cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.flink=info");
    cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.beam=info");
    // the classpath goes in an argument file: hundreds of jars would make the command line unreadable in ps
    cmd.add("@" + classpathArgs);
    cmd.add(main.getName());
    cmd.add("--configDir");
    cmd.add(conf.toString());
    cmd.addAll(memory.subList(split + 1, memory.size()));
    cmd.addAll(extraDynamic);
    Files.writeString(log, "");
    Process process = new ProcessBuilder(cmd).directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    process.getOutputStream().close();
    processes.add(process);
    started.add(ClusterProcess.of(role, process.toHandle(), main.getName(), home, log));
  }

  /**
   * A copy of the classpath this JVM runs with, in {@code lib/}: the cluster runs Flink from the same
   * jars, and a rebuild of the bundled jar while the cluster runs must not pull classes from under it.
   */
  private Path snapshotClasspath() throws IOException {
    Path lib = home.resolve("lib");
    deleteTree(lib);
    Files.createDirectories(lib);
    List<String> entries = new ArrayList<>();
    String[] jars = classpath.split(File.pathSeparator);
    for (int i = 0; i < jars.length; i++) {
      if (jars[i].isBlank()) continue;
      Path from = Path.of(jars[i]).toAbsolutePath();
      if (!Files.exists(from)) continue;
      Path to = lib.resolve(String.format("%03d-%s", i, from.getFileName()));
      copyTree(from, to);
      entries.add(to.toString());
    }
    // an argument file for java: -cp and the list, quoted (paths may hold spaces)
    Path args = home.resolve("conf").resolve("classpath.args");
    Files.writeString(args, "-cp \"" + String.join(File.pathSeparator, entries).replace("\\", "\\\\") + "\"\n", StandardCharsets.UTF_8);
    return args;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.delete(f);
    }
  }

  /**
   * The first process, in start order, that has exited, or -1. Once one has, those started before it
   * get a moment to exit too: a JobManager that fails takes its TaskManagers down with it, and its
   * log, not theirs, says why; a JVM's exit can lag behind that of one started after it.
   */
  private static int firstDead(List<Process> processes) {
    int dead = -1;
    for (int i = 0; i < processes.size() && dead < 0; i++) if (!processes.get(i).isAlive()) dead = i;
    for (int i = 0; i < dead; i++) {
      try {
        if (processes.get(i).waitFor(2, TimeUnit.SECONDS)) return i;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return dead;
      }
    }
    return dead;
  }

  private void awaitReady(Spec spec, ClusterState state, List<Process> processes, Duration timeout) throws IOException {
    FlinkRest rest = new FlinkRest(state.master());
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "REST endpoint not answering yet";
    while (System.nanoTime() < deadline) {
      int dead = firstDead(processes);
      if (dead >= 0) {
        ClusterProcess p = state.processes().get(dead);
        throw new IllegalStateException("the Flink " + p.role() + " (pid " + p.pid() + ") exited with status "
            + processes.get(dead).exitValue() + " while starting; the end of " + p.log() + ":\n" + tail(Path.of(p.log())));
      }
      try {
        FlinkRest.Overview o = rest.overview();
        if (o.taskManagers() == spec.taskManagers() && o.slotsTotal() == spec.totalSlots()) return;
        last = o.toString();
      } catch (IOException e) {
        last = e.getMessage();
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException("the Flink cluster did not register " + spec.taskManagers() + " TaskManager(s) with "
        + spec.totalSlots() + " slots within " + timeout.toSeconds() + " s (" + last + "); logs in " + home.resolve("log"));
  }

  private void writeState(ClusterState state) throws IOException {
    Path tmp = home.resolve("cluster.json.tmp");
    JSON.writeValue(tmp.toFile(), state);
    Files.move(tmp, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String describe(List<ClusterProcess> processes) {
    return processes.stream().map(p -> p.role() + " pid " + p.pid()).collect(Collectors.joining(", "));
  }

  /** The last lines of a log, to show why a process died. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(could not read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    }
  }

  private static int requireFreePort(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return port;
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on " + LOOPBACK + " is taken (another Flink or service listens there); choose another with --port");
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
