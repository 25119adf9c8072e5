package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.RunnerSetup.JobWait;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "sync", description = "One run of every configured sync (or those named with --only). Other --options go to Beam (e.g. --runner=FlinkRunner).")
final class SyncCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--full-refresh", description = "read everything and mark rows the provider no longer has as deleted")
  boolean fullRefresh;

  @Option(names = "--resume", description = "un-pause syncs paused by refused credentials before running them")
  boolean resume;

  @Option(names = "--only", paramLabel = "customer/provider/object", description = "run just this sync (repeatable)")
  List<String> only = new ArrayList<>();

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.required();
    List<SyncDefinition> syncs = SyncDefinition.expand(cfg, only);
    String[] beam = beamArgs.toArray(String[]::new);
    if (cfg.destination().embedded() && RunnerOptions.parse(beam).jobWait() == JobWait.SUBMISSION) {
      // the job would write to a database this command stops on its way out
      throw new ConfigException(cfg.file() + ": destination.url is required to submit without waiting (the embedded PostgreSQL stops when this command ends)");
    }
    try (ConnectedDestination dest = ConnectedDestination.open(cfg.destination())) {
      System.out.println("destination: " + dest.description() + ", schema " + cfg.destination().schema());
      SyncJob job = new SyncJob(dest.destination(), System.out);
      if (resume) job.resume(syncs);
      SyncJob.Result result = job.run(syncs, fullRefresh, beam);
      RunReport.print(dest.destination(), result.runIds(), System.out);
      return result.allSucceeded() ? 0 : SyncbeamCli.EXIT_FAILED;
    }
  }
}
