package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config F}, shared by the commands that read the config; defaults to ./syncbeam.yaml. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "F", description = "config file (default: ./syncbeam.yaml)")
  Path file;

  SyncbeamConfig required() {
    return ConfigLoader.fromEnvironment().load(file != null ? file : Path.of("syncbeam.yaml"));
  }

  /** The config if there is one; otherwise the embedded default destination with no syncs. */
  SyncbeamConfig orDefault() {
    if (file == null && !Files.exists(Path.of("syncbeam.yaml"))) {
      return SyncbeamConfig.none();
    }
    return required();
  }
}
