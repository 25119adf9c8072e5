package dev.syncbeam.runners.flink;

import dev.syncbeam.pipelines.cli.ExtraSubcommand;
import dev.syncbeam.runners.flink.LocalFlinkCluster.ClusterState;
import dev.syncbeam.runners.flink.LocalFlinkCluster.Spec;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec.Target;

/** {@code syncbeam flink-cluster start|stop|status}: a local standalone Flink session cluster under {@code .syncbeam/flink/}. */
@Command(name = "flink-cluster", description = "A local standalone Flink session cluster (one JobManager, N TaskManager processes) under .syncbeam/flink/.",
    subcommands = {FlinkClusterCommand.Start.class, FlinkClusterCommand.Stop.class, FlinkClusterCommand.Status.class})
public final class FlinkClusterCommand implements ExtraSubcommand, Callable<Integer> {
  @CommandLine.Spec(Target.SELF) CommandLine.Model.CommandSpec self;

  @Override
  public Integer call() {
    self.commandLine().usage(System.out);
    return 0;
  }

  private static LocalFlinkCluster cluster() {
    return new LocalFlinkCluster(LocalFlinkCluster.DEFAULT_HOME);
  }

  @Command(name = "start", description = "Starts the cluster and returns once it accepts jobs; prints `flink_master HOST:PORT` for --flinkMaster.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "2", description = "TaskManager processes (default ${DEFAULT-VALUE})")
    int taskManagers;

    @Option(names = "--slots", paramLabel = "S", defaultValue = "2", description = "task slots per TaskManager (default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8081", description = "REST port on 127.0.0.1, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--taskmanager-memory", paramLabel = "SIZE", defaultValue = "2048m",
        description = "total process memory of each TaskManager (default ${DEFAULT-VALUE})")
    String taskManagerMemory;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "how long to wait for the cluster (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
      LocalFlinkCluster cluster = cluster();
      Spec spec = new Spec(taskManagers, slots, port, memory(taskManagerMemory), Spec.DEFAULT_JOB_MANAGER_MEMORY);
      System.out.printf("starting a Flink session cluster: 1 JobManager, %d TaskManager(s) x %d slot(s), in %s%n",
          taskManagers, slots, cluster.home());
      ClusterState state = cluster.start(spec, Duration.ofSeconds(timeoutSeconds));
      for (ClusterProcess p : state.processes()) System.out.printf("  %-14s pid %-8d log %s%n", p.role(), p.pid(), p.log());
      System.out.println("flink_master " + state.master());
      return 0;
    }

    private static MemorySize memory(String value) {
      try {
        return MemorySize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--taskmanager-memory: not a memory size: " + value + " (e.g. 1536m, 2g)");
      }
    }
  }

  @Command(name = "stop", description = "Ends the processes `start` recorded, and only those.")
  static final class Stop implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      cluster().stop().forEach(System.out::println);
      return 0;
    }
  }

  @Command(name = "status", description = "The recorded processes (alive or not) and the cluster's REST overview.")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      LocalFlinkCluster cluster = cluster();
      Optional<ClusterState> state = cluster.state();
      if (state.isEmpty()) {
        System.out.println("no Flink cluster recorded in " + cluster.stateFile() + "; `syncbeam flink-cluster start` starts one");
        return 0;
      }
      System.out.println("Flink cluster in " + cluster.home() + ":");
      boolean allAlive = true;
      for (ClusterProcess p : state.get().processes()) {
        boolean alive = p.alive();
        allAlive &= alive;
        System.out.printf("  %-14s pid %-8d %-6s log %s%n", p.role(), p.pid(), alive ? "alive" : "DEAD", p.log());
      }
      try {
        System.out.println("  " + new FlinkRest(state.get().master()).overview());
      } catch (IOException e) {
        System.out.println("  REST overview unavailable: " + e.getMessage());
        allAlive = false;
      }
      System.out.println("flink_master " + state.get().master());
      return allAlive ? 0 : 1;
    }
  }
}
