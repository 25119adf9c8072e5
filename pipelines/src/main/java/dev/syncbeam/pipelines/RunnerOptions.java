package dev.syncbeam.pipelines;

import dev.syncbeam.pipelines.RunnerSetup.JobWait;
import java.io.PrintStream;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Beam options from the pass-through arguments: parsed and checked (an unknown option or a value out
 * of range fails here, naming it, before anything touches the database), then prepared by their
 * runner's {@link RunnerSetup}.
 */
public record RunnerOptions(SyncOptions options, JobWait jobWait, RunnerSetup setup) {

  public static RunnerOptions parse(String[] beamArgs) {
    SyncOptions options = checked(beamArgs);
    Set<String> given = givenNames(beamArgs);
    // Beam names jobs after the class that parsed the options; Flink's and Dataflow's UIs show this name
    if (!given.contains("appName")) options.as(ApplicationNameOptions.class).setAppName("syncbeam");
    for (OptionDefaults defaults : ServiceLoader.load(OptionDefaults.class)) defaults.apply(options, given);
    for (RunnerSetup setup : ServiceLoader.load(RunnerSetup.class)) {
      if (setup.runner() == options.getRunner()) return new RunnerOptions(options, setup.prepare(options, given), setup);
    }
    return new RunnerOptions(options, JobWait.UNTIL_DONE, null);
  }

  private static SyncOptions checked(String[] beamArgs) {
    for (String arg : beamArgs) {
      // Beam answers --help by printing and exiting the JVM; the command line prints it instead
      if (arg.equals("--help") || arg.startsWith("--help=")) {
        throw new InvalidOptionsException(arg + ": ask the command line (syncbeam sync " + arg + ")");
      }
    }
    SyncOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().as(SyncOptions.class);
    } catch (IllegalArgumentException e) {
      throw InvalidOptionsException.fromBeam(e, beamArgs);
    }
    InvalidOptionsException.requirePositive("extractSplitBytes", options.getExtractSplitBytes());
    InvalidOptionsException.requirePositive("sinkBatchRows", options.getSinkBatchRows());
    InvalidOptionsException.requirePositive("sinkBatchBytes", options.getSinkBatchBytes());
    InvalidOptionsException.requirePositive("lockTimeoutSeconds", options.getLockTimeoutSeconds());
    InvalidOptionsException.requirePositive("reconnectWindowSeconds", options.getReconnectWindowSeconds());
    InvalidOptionsException.requirePositive("destinationConnections", options.getDestinationConnections());
    InvalidOptionsException.requireBetween("hubspotPageSize", options.getHubspotPageSize(), 1, 100);
    InvalidOptionsException.requireBetween("pipedrivePageSize", options.getPipedrivePageSize(), 1, 500);
    InvalidOptionsException.requirePositive("salesforceBulkThreshold", options.getSalesforceBulkThreshold());
    InvalidOptionsException.requirePositive("salesforceRecordsPerIdRange", options.getSalesforceRecordsPerIdRange());
    InvalidOptionsException.requirePositive("salesforceBulkChunkRecords", options.getSalesforceBulkChunkRecords());
    return options;
  }

  /** The options set for an unbounded pipeline that runs until cancelled (the stream's). */
  public SyncOptions unbounded() {
    options.as(StreamingOptions.class).setStreaming(true);
    if (setup != null) setup.prepareUnbounded(options);
    return options;
  }

  /** The started pipeline's result as its runner's setup wants it followed. */
  public PipelineResult track(PipelineResult started, PrintStream out) {
    return setup == null ? started : setup.track(started, options, out);
  }

  /** {@code --name=value} and {@code --name} (a boolean) both set {@code name}. */
  static Set<String> givenNames(String[] beamArgs) {
    Set<String> names = new TreeSet<>();
    for (String arg : beamArgs) {
      if (!arg.startsWith("--")) continue;
      int eq = arg.indexOf('=');
      names.add(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
    }
    return names;
  }

  public String runnerName() {
    return options.getRunner().getSimpleName();
  }
}
