package dev.syncbeam.pipelines;

import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Direct runner: SyncBeam turns off the immutability and encodability checks (test aids that
 * copy every element) unless asked for them, and follows the run itself instead of blocking in it.
 */
public final class DirectRunnerSetup implements RunnerSetup {
  @Override
  public Class<? extends PipelineRunner<?>> runner() {
    return DirectRunner.class;
  }

  @Override
  public JobWait prepare(PipelineOptions options, Set<String> given) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given.contains("enforceImmutability")) direct.setEnforceImmutability(false);
    if (!given.contains("enforceEncodability")) direct.setEnforceEncodability(false);
    direct.setBlockOnRun(false);
    return JobWait.UNTIL_DONE;
  }
}
