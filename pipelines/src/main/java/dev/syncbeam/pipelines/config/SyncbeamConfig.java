package dev.syncbeam.pipelines.config;

import java.nio.file.Path;
import java.util.List;

/** A validated {@code syncbeam.yaml}. */
public record SyncbeamConfig(
    Path file,
    String applicationId,
    Destination destination,
    List<SyncEntry> syncs) {

  /** {@code url} null means the embedded default under {@code .syncbeam/}. */
  public record Destination(String url, String schema, String user, String password, String sslMode) {
    public boolean embedded() {
      return url == null;
    }

    /** For messages: never shows the password. */
    public String describe() {
      return embedded() ? "embedded PostgreSQL (.syncbeam/)" : url.replaceAll("password=[^&]*", "password=***");
    }
  }

  /** One (customer, provider) entry; it expands into one sync per listed object. */
  public record SyncEntry(
      String customerId,
      String provider,
      Path extractRoot,
      List<String> commonObjects,
      List<String> standardObjects,
      List<String> customObjects,
      String strategy,
      int fullEveryNIncrementals,
      /** the live API, or null when the entry reads extracts (then extractRoot is set) */
      dev.syncbeam.transforms.model.ApiSource api) {}
}
