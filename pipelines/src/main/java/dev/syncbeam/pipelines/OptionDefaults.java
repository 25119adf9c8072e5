package dev.syncbeam.pipelines;

import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Defaults a module sets on every run's options, whatever the runner, for options the command line
 * left alone ({@code given} names those it set). Listed in {@code META-INF/services}.
 */
public interface OptionDefaults {
  void apply(PipelineOptions options, Set<String> given);
}
