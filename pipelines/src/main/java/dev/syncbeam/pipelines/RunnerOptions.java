package dev.syncbeam.pipelines;

import dev.syncbeam.pipelines.RunnerSetup.JobWait;
import java.io.PrintStream;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Beam options from the pass-through arguments, prepared by their runner's {@link RunnerSetup}. */
public record RunnerOptions(PipelineOptions options, JobWait jobWait, RunnerSetup setup) {

  public static RunnerOptions parse(String[] beamArgs) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().create();
    Set<String> given = givenNames(beamArgs);
    // Beam names jobs after the class that parsed the options; Flink's and Dataflow's UIs show this name
    if (!given.contains("appName")) options.as(ApplicationNameOptions.class).setAppName("syncbeam");
    for (RunnerSetup setup : ServiceLoader.load(RunnerSetup.class)) {
      if (setup.runner() == options.getRunner()) return new RunnerOptions(options, setup.prepare(options, given), setup);
    }
    return new RunnerOptions(options, JobWait.UNTIL_DONE, null);
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
