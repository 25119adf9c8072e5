package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.StreamJob;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "stream",
    description = "Keeps every configured sync fresh: one unbounded pipeline runs each sync on its period until stopped (Ctrl-C, SIGTERM)."
        + " Other --options go to Beam (e.g. --runner=FlinkRunner).")
final class StreamCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--drain-seconds", defaultValue = "60",
      description = "on stop, how long runs in flight get to finish before they are recorded as stopped (default ${DEFAULT-VALUE})")
  long drainSeconds;

  @Option(names = "--heartbeat-seconds", defaultValue = "60",
      description = "while no run changes anything, a heartbeat line this often (default ${DEFAULT-VALUE})")
  long heartbeatSeconds;

  @Option(names = "--only", paramLabel = "customer/provider/object", description = "stream just this sync (repeatable)")
  List<String> only = new ArrayList<>();

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    RunnerOptions runner = RunnerOptions.parse(beamArgs.toArray(String[]::new));
    SyncbeamConfig cfg = config.required();
    List<SyncDefinition> syncs = SyncDefinition.expand(cfg, only);
    if (syncs.isEmpty()) throw new ConfigException(cfg.file() + ": syncs: nothing to stream");
    if (drainSeconds < 0) throw new ConfigException("--drain-seconds must be >= 0");
    try (ConnectedDestination dest = ConnectedDestination.open(cfg)) {
      System.out.println("destination: " + dest.description() + ", schema " + cfg.destination().schema());
      if (cfg.webhook() != null) System.out.println("webhooks: to " + cfg.webhook().describe());
      StreamJob job = new StreamJob(dest.destination(), System.out, Duration.ofSeconds(Math.max(1, heartbeatSeconds)), cfg.webhook());
      Thread hook = new Thread(() -> job.stop(Duration.ofSeconds(drainSeconds)), "syncbeam-stream-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      boolean ok = job.run(syncs, runner);
      return ok ? 0 : SyncbeamCli.EXIT_FAILED;
    }
  }
}
