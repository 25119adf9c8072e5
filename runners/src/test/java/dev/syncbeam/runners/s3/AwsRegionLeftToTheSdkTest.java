package dev.syncbeam.runners.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.RunnerOptions;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * On the Direct runner the region is set (to nothing: the SDK's own lookup when a client is built)
 * before anything reads it, so Beam's per-options lookup never runs; a region given is kept.
 */
class AwsRegionLeftToTheSdkTest {
  @Test
  void theDirectRunnerLeavesAnUngivenRegionToTheSdkAndKeepsAGivenOne() {
    RunnerOptions direct = RunnerOptions.parse(new String[0]);
    // Beam lists an option among its current settings once it was set (or its default computed)
    assertTrue(direct.options().toString().contains("awsRegion: null"), direct.options().toString());
    assertEquals(null, direct.options().as(AwsOptions.class).getAwsRegion());

    RunnerOptions given = RunnerOptions.parse(new String[] {"--awsRegion=eu-west-1"});
    assertEquals(Region.EU_WEST_1, given.options().as(AwsOptions.class).getAwsRegion());
  }
}
