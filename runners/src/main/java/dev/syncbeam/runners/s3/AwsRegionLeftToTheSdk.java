package dev.syncbeam.runners.s3;

import dev.syncbeam.pipelines.OptionDefaults;
import java.util.Set;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Without {@code --awsRegion}, Beam looks the region up for every new set of options, because
 * registering its S3 file system reads it, and off EC2 that lookup waits for the instance metadata
 * service not to answer: 0.8 s per run here, 13 s on a loaded machine, even for runs that never
 * touch S3. Left unset, the AWS SDK looks it up through the same chain when an S3 client is built.
 * Only on the Direct runner: a cluster's workers keep receiving the region the driver resolved.
 */
public final class AwsRegionLeftToTheSdk implements OptionDefaults {
  @Override
  public void apply(PipelineOptions options, Set<String> given) {
    if (given.contains("awsRegion") || options.getRunner() != DirectRunner.class) return;
    options.as(AwsOptions.class).setAwsRegion(null);
  }
}
