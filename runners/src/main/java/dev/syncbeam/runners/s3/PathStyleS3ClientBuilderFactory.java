package dev.syncbeam.runners.s3;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client with path-style requests ({@code http://host:port/bucket/key}), for S3-compatible
 * stores on a plain host name (MinIO, Ceph, an emulator on loopback) where a bucket is not a DNS name.
 * Select it with {@code --s3ClientFactoryClass=dev.syncbeam.runners.s3.PathStyleS3ClientBuilderFactory};
 * region, endpoint and credentials still come from Beam's own options.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
