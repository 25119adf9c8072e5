package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.InvalidOptionsException;
import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.RunnerSetup.JobWait;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.notify.WebhookDeliverer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "sync", preprocessor = SyncCommand.OptionsHelp.class,
    description = "One run of every configured sync (or those named with --only). Other --options go to Beam (e.g. --runner=FlinkRunner).",
    footer = "%nSyncBeam's pipeline options (batch sizes, page sizes, timeouts): syncbeam sync --help=SyncOptions;"
        + " a runner's: --help=FlinkPipelineOptions and the like.")
final class SyncCommand implements Callable<Integer> {
  /** How long a finished sync waits for its webhooks; what is not delivered by then is left to the next deliverer. */
  static final Duration END_OF_SYNC_DELIVERY = Duration.ofSeconds(5);

  @Mixin ConfigOption config;

  @Option(names = "--full-refresh", description = "read everything and mark rows the provider no longer has as deleted")
  boolean fullRefresh;

  @Option(names = "--delete-check", description = "read only record ids and mark rows the provider no longer has as deleted;"
      + " nothing else is written (syncs without a completed full refresh run one instead)")
  boolean deleteCheck;
  @Option(names = "--wait", description = "wait for a sync another run (or a stream) holds, instead of skipping it")
  boolean waitForLocks;

  @Option(names = "--resume", description = "un-pause syncs paused by refused credentials before running them")
  boolean resume;

  @Option(names = "--only", paramLabel = "customer/provider/object", description = "run just this sync (repeatable)")
  List<String> only = new ArrayList<>();

  @Unmatched List<String> beamArgs = new ArrayList<>();

  /** Set by {@code --help=Interface}: list that Beam options interface instead of syncing. */
  String optionsHelp;

  @Override
  public Integer call() throws Exception {
    if (optionsHelp != null) {
      PipelineOptionsFactory.printHelp(System.out, optionsInterface(optionsHelp));
      return 0;
    }
    // options, then config, then the database: what is wrong with the command line fails before anything is opened
    RunnerOptions runner = RunnerOptions.parse(beamArgs.toArray(String[]::new));
    SyncbeamConfig cfg = config.required();
    List<SyncDefinition> syncs = SyncDefinition.expand(cfg, only);
    if (cfg.destination().embedded() && runner.jobWait() == JobWait.SUBMISSION) {
      // the job would write to a database this command stops on its way out
      throw new ConfigException(cfg.file() + ": destination.url is required to submit without waiting (the embedded PostgreSQL stops when this command ends)");
    }
    try (ConnectedDestination dest = ConnectedDestination.open(cfg)) {
      System.out.println("destination: " + dest.description() + ", schema " + cfg.destination().schema());
      try {
        SyncJob job = new SyncJob(dest.destination(), System.out);
        if (deleteCheck) job = job.checkingDeletes();
        if (waitForLocks) job = job.waitingForLocks();
        if (resume) job.resume(syncs);
        SyncJob.Result result = job.run(syncs, fullRefresh, runner);
        RunReport.print(dest.destination(), result.runIds(), System.out);
        return result.allSucceeded() ? 0 : SyncbeamCli.EXIT_FAILED;
      } finally {
        // whatever the runs' outcome: the events are committed already, and delivery cannot change the exit status
        if (cfg.webhook() != null) {
          System.out.println(new WebhookDeliverer(dest.destination(), cfg.webhook()).deliverWithin(END_OF_SYNC_DELIVERY).summary());
        }
      }
    }
  }

  /** A registered options interface by simple or full name, as Beam's own {@code --help=} takes it. */
  private static Class<? extends PipelineOptions> optionsInterface(String name) {
    TreeSet<String> known = new TreeSet<>();
    for (Class<? extends PipelineOptions> c : PipelineOptionsFactory.getRegisteredOptions()) {
      if (c.getSimpleName().equals(name) || c.getName().equals(name)) return c;
      known.add(c.getSimpleName());
    }
    throw new InvalidOptionsException("--help=" + name + ": no such options interface (" + String.join(", ", known) + ")");
  }

  /**
   * Takes {@code --help=Interface} off the arguments before picocli reads them: picocli's own
   * {@code --help} takes no value, and Beam would answer it by exiting the JVM.
   */
  static final class OptionsHelp implements IParameterPreprocessor {
    private static final String PREFIX = "--help=";

    @Override
    public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec argSpec, Map<String, Object> info) {
      for (String arg : List.copyOf(args)) {
        if (arg.startsWith(PREFIX)) {
          args.remove(arg);
          ((SyncCommand) spec.userObject()).optionsHelp = arg.substring(PREFIX.length());
        }
      }
      return false;
    }
  }
}
