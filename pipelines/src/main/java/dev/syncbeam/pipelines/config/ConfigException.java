package dev.syncbeam.pipelines.config;

/** Bad configuration: one line naming the file and key at fault. The command line exits with status 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
