package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import dev.syncbeam.transforms.notify.WebhookTarget;
import dev.syncbeam.transforms.model.ApiSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A validated {@code syncbeam.yaml}.
 *
 * @param webhook where {@code sync.complete} and {@code sync.paused} go, or null when no {@code webhook:} is configured
 */
public record SyncbeamConfig(
    Path file,
    String applicationId,
    Destination destination,
    Serve serve,
    List<SyncEntry> syncs,
    WebhookTarget webhook) {
  public static final String DEFAULT_APPLICATION_ID = "default-app";
  /** How often {@code syncbeam stream} runs a sync that sets no {@code period}. */
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(15);

  /** Without a webhook. */
  public SyncbeamConfig(Path file, String applicationId, Destination destination, Serve serve, List<SyncEntry> syncs) {
    this(file, applicationId, destination, serve, syncs, null);
  }

  /** For commands that work without a config file: the embedded destination, no syncs. */
  public static SyncbeamConfig none() {
    return new SyncbeamConfig(Path.of("(no config)"), DEFAULT_APPLICATION_ID, Destination.embeddedDefault(), Serve.defaults(), List.of());
  }

  /** {@code url} null means the embedded default under {@code .syncbeam/}. Bound from the file as written. */
  public record Destination(
      @JsonProperty("url") String url,
      @JsonProperty("schema") String schema,
      @JsonProperty("user") String user,
      @JsonProperty("password") String password,
      @JsonProperty("ssl_mode") SslMode sslMode) {
    public static final String DEFAULT_SCHEMA = "supaglue";

    /** The embedded PostgreSQL whose data lives under {@code .syncbeam/}, schema supaglue. */
    public static Destination embeddedDefault() {
      return new Destination(null, DEFAULT_SCHEMA, null, null, null);
    }

    public boolean embedded() {
      return url == null;
    }

    /** For messages: never shows the password. */
    public String describe() {
      return embedded() ? "embedded PostgreSQL (.syncbeam/)" : url.replaceAll("password=[^&]*", "password=***");
    }
  }

  /**
   * The {@code serve:} block: where {@code syncbeam serve} listens, which API keys it accepts, and
   * how long it waits for one provider answer before the request fails with 502.
   */
  public record Serve(String bind, int port, List<String> apiKeys, Duration providerTimeout) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_PROVIDER_TIMEOUT = Duration.ofSeconds(30);

    public Serve(String bind, int port, List<String> apiKeys) {
      this(bind, port, apiKeys, DEFAULT_PROVIDER_TIMEOUT);
    }

    public static Serve defaults() {
      return new Serve(DEFAULT_BIND, DEFAULT_PORT, List.of());
    }

    public Serve withPort(int port) {
      return new Serve(bind, port, apiKeys, providerTimeout);
    }

    public Serve withProviderTimeout(Duration timeout) {
      return new Serve(bind, port, apiKeys, timeout);
    }
  }

  /**
   * One (customer, provider) entry; it expands into one sync per listed object.
   *
   * @param api the live API, or null when the entry reads extracts (then extractRoot is set)
   */
  public record SyncEntry(
      String customerId,
      String provider,
      /** a local absolute path or a Beam file-system URI */
      String extractRoot,
      List<String> commonObjects,
      List<String> standardObjects,
      List<String> customObjects,
      SyncStrategy strategy,
      int fullEveryNIncrementals,
      ApiSource api,
      /** 0: never; N: after every N incremental runs, a delete check (ids only, then the sweep) */
      int deleteCheckEveryNIncrementals,
      /** how often {@code syncbeam stream} runs each of the entry's syncs */
      Duration period) {}
}
