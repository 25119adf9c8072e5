package dev.syncbeam.runners.s3;

import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Beam's S3 module registers only its general AWS options, so {@code --s3ClientFactoryClass} and the
 * other S3 settings an extract on S3 may need were refused as unknown options.
 */
public final class S3OptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(S3Options.class);
  }
}
