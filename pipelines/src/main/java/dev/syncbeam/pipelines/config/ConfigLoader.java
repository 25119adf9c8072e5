package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.syncbeam.pipelines.config.SyncbeamConfig.Destination;
import dev.syncbeam.pipelines.config.SyncbeamConfig.SyncEntry;
import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.ProviderDescriptor;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.model.SecretText;
import dev.syncbeam.transforms.notify.WebhookSecret;
import dev.syncbeam.transforms.notify.WebhookTarget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code syncbeam.yaml}: binds it to {@link ConfigFile} (unknown and duplicate keys refused, no
 * number silently rounded), expands {@code ${VAR}} from the environment, applies defaults and the
 * rules that span keys, and names the file and key in every error.
 */
public final class ConfigLoader {
  private final ObjectMapper yaml;

  public ConfigLoader(Function<String, String> env) {
    this.yaml = mapper(env);
  }

  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  public SyncbeamConfig load(Path file) {
    if (!Files.isRegularFile(file)) throw new ConfigException(file + ": config file not found");
    ConfigFile written;
    try {
      readsAsYaml(file);
      written = yaml.readValue(file.toFile(), ConfigFile.class);
    } catch (JacksonException e) {
      throw BindingErrors.describe(file, e, yaml);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (written == null) throw new ConfigException(file + ": expected a mapping at the top level");
    return config(new Where(file, ""), written, file.toAbsolutePath().getParent());
  }

  /** The whole file must be YAML before any of it is bound, or a wrong value early would hide a syntax error further down. */
  private void readsAsYaml(Path file) throws IOException {
    try (JsonParser p = yaml.createParser(file.toFile())) {
      while (p.nextToken() != null) {
        // tokens only: binding comes next
      }
    } catch (JacksonException e) {
      if (BindingErrors.isSyntaxError(e)) throw e; // anything else binding reports, with its key path
    }
  }

  private static ObjectMapper mapper(Function<String, String> env) {
    ObjectMapper m = new ObjectMapper(new YAMLFactory());
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // a second YAML document would be ignored
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.addMixIn(SyncStrategy.class, StrategyAsWritten.class);
    m.registerModule(new SimpleModule("syncbeam-config").addDeserializer(String.class, new ExpandedString(env)));
    return m;
  }

  /** Strategies are written as {@link SyncStrategy#value()} ({@code full_only}). */
  abstract static class StrategyAsWritten {
    @JsonValue
    abstract String value();
  }

  /**
   * Secrets whose {@code ${VAR}} stays a reference (resolved by {@link SecretText} where it is used,
   * so it never travels in a job graph), as (parent key, key).
   */
  private static final Set<String> SECRET_KEYS = Set.of(
      "destination.password", "api.token", "api.api_token", "api.refresh_token", "api.client_secret");

  /**
   * Every string value, with {@code ${VAR}} replaced from the environment, except secrets, which keep
   * the reference; an unset variable fails naming its key either way.
   */
  static final class ExpandedString extends StdScalarDeserializer<String> {
    private final transient Function<String, String> env;

    ExpandedString(Function<String, String> env) {
      super(String.class);
      this.env = env;
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) throw new ConfigValueException(p, "must be a single value");
      String written = p.getValueAsString();
      String expanded;
      try {
        expanded = SecretText.expand(written, env);
      } catch (SecretText.UnsetVariable e) {
        throw new ConfigValueException(p, e.getMessage());
      }
      // a secret keeps its reference: it is read again where it is used
      return isSecret(p) ? written : expanded;
    }

    private static boolean isSecret(JsonParser p) {
      JsonStreamContext here = p.getParsingContext();
      JsonStreamContext parent = here.getParent();
      return parent != null && SECRET_KEYS.contains(parent.getCurrentName() + "." + here.getCurrentName());
    }
  }

  /** A value the config refuses while it is bound; Jackson adds the key path on its way out. */
  static final class ConfigValueException extends JsonMappingException {
    ConfigValueException(JsonParser p, String message) {
      super(p, message);
    }
  }

  private static SyncbeamConfig config(Where top, ConfigFile f, Path baseDir) {
    String appId = f.applicationId() == null ? SyncbeamConfig.DEFAULT_APPLICATION_ID : f.applicationId();
    if (appId.isBlank()) throw top.error("application_id", "must not be empty (omit it for " + SyncbeamConfig.DEFAULT_APPLICATION_ID + ")");
    Destination destination = destination(top.child("destination"), f.destination());
    SyncbeamConfig.Serve serve = serve(top.child("serve"), f.serve());
    WebhookTarget webhook = webhook(top.child("webhook"), f.webhook());
    if (f.syncs() == null || f.syncs().isEmpty()) throw top.error("syncs", "must list at least one sync");
    List<SyncEntry> syncs = new ArrayList<>();
    for (int i = 0; i < f.syncs().size(); i++) syncs.add(syncEntry(top.child("syncs[" + i + "]"), f.syncs().get(i), baseDir));
    return new SyncbeamConfig(top.file(), appId, destination, serve, List.copyOf(syncs), webhook);
  }

  /** The receiver and its signing secret; messages say what is wrong with the secret, never what it holds. */
  private static WebhookTarget webhook(Where w, ConfigFile.Webhook written) {
    if (written == null) return null;
    String url = required(w, "url", written.url());
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw w.error("url", "is not a URL (" + e.getReason() + ")");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw w.error("url", "must be an http(s) URL with a host");
    }
    if (written.secret() == null || written.secret().isBlank()) {
      throw w.error("secret", "is required: the signing secret, " + WebhookSecret.PREFIX + "<base64> (e.g. ${WEBHOOK_SECRET})");
    }
    try {
      return new WebhookTarget(uri, WebhookSecret.parse(written.secret().trim()));
    } catch (IllegalArgumentException e) {
      throw w.error("secret", e.getMessage());
    }
  }

  private static Destination destination(Where d, Destination written) {
    if (written == null) return Destination.embeddedDefault();
    if (written.url() != null && !written.url().startsWith("jdbc:postgresql:")) throw d.error("url", "must be a jdbc:postgresql:// URL");
    String schema = written.schema() == null ? Destination.DEFAULT_SCHEMA : written.schema();
    if (schema.isBlank()) throw d.error("schema", "must not be empty (omit it for " + Destination.DEFAULT_SCHEMA + ")");
    int bytes = schema.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > SqlIdentifiers.MAX_LENGTH) {
      throw d.error("schema", "is " + bytes + " bytes long; PostgreSQL names hold at most " + SqlIdentifiers.MAX_LENGTH);
    }
    return new Destination(written.url(), schema, written.user(), written.password(), written.sslMode());
  }

  private static final Pattern PERIOD = Pattern.compile("(\\d{1,6})([smh])");

  private static SyncbeamConfig.Serve serve(Where w, ConfigFile.Serve written) {
    if (written == null) return SyncbeamConfig.Serve.defaults();
    String bind = written.bind() == null ? SyncbeamConfig.Serve.DEFAULT_BIND : written.bind();
    if (bind.isBlank()) throw w.error("bind", "must be an address (omit it for " + SyncbeamConfig.Serve.DEFAULT_BIND + ")");
    int port = written.port() == null ? SyncbeamConfig.Serve.DEFAULT_PORT : written.port();
    if (port < 0 || port > 65535) throw w.error("port", "must be a port number 0-65535");
    List<String> keys = written.apiKeys() == null ? List.of() : written.apiKeys();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) == null || keys.get(i).isBlank()) throw w.error("api_keys[" + i + "]", "must not be empty");
    }
    Duration timeout = duration(w, "provider_timeout", written.providerTimeout(), SyncbeamConfig.Serve.DEFAULT_PROVIDER_TIMEOUT);
    return new SyncbeamConfig.Serve(bind, port, List.copyOf(keys), timeout);
  }

  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+://.*");

  /**
   * A URI ({@code s3://bucket/acme}, {@code gs://...}, {@code hdfs://...}) is read through that Beam
   * file system, so a cluster's workers need no shared disk; anything else is a local folder,
   * relative to the config file.
   */
  static String extractLocation(Path baseDir, String extract) {
    if (URI_SCHEME.matcher(extract).matches()) return extract.endsWith("/") ? extract.substring(0, extract.length() - 1) : extract;
    return baseDir.resolve(extract).toAbsolutePath().normalize().toString();
  }

  private static SyncEntry syncEntry(Where s, ConfigFile.Sync e, Path baseDir) {
    if (e == null) throw s.error(null, "must be a mapping");
    String customer = required(s, "customer_id", e.customerId());
    String provider = required(s, "provider", e.provider());
    try {
      Providers.get(provider);
    } catch (IllegalArgumentException unknown) {
      throw s.error("provider", unknown.getMessage());
    }
    ConfigFile.Source source = e.source();
    if (source == null) throw s.error("source", "is required: { extract: DIR } or { api: {...} }");
    Where src = s.child("source");
    if ((source.api() == null) == (source.extract() == null)) throw src.error(null, "needs exactly one of extract: DIR or api: {...}");
    String root = source.extract() == null ? null : extractLocation(baseDir, required(src, "extract", source.extract()));
    ApiSource api = source.api() == null ? null : apiSource(src.child("api"), source.api(), provider);
    int everyN = e.fullEveryNIncrementals() == null ? 0 : e.fullEveryNIncrementals();
    if (everyN < 0) throw s.error("full_every_n_incrementals", "must be a whole number >= 0");
    int checkEveryN = e.deleteCheckEveryNIncrementals() == null ? 0 : e.deleteCheckEveryNIncrementals();
    if (checkEveryN < 0) throw s.error("delete_check_every_n_incrementals", "must be a whole number >= 0");
    List<String> common = objectNames(s, "common_objects", e.commonObjects());
    List<String> standard = objectNames(s, "standard_objects", e.standardObjects());
    List<String> custom = objectNames(s, "custom_objects", e.customObjects());
    for (int i = 0; i < common.size(); i++) {
      try {
        CommonObject.of(common.get(i));
      } catch (IllegalArgumentException unknown) {
        throw s.error("common_objects[" + i + "]", unknown.getMessage());
      }
    }
    if (common.isEmpty() && standard.isEmpty() && custom.isEmpty()) throw s.error(null, "lists no objects to sync");
    SyncStrategy strategy = e.strategy() == null ? SyncStrategy.FULL_THEN_INCREMENTAL : e.strategy();
    Duration period = period(s, e.period());
    return new SyncEntry(customer, provider, root, common, standard, custom, strategy, everyN, api, checkEveryN, period);
  }

  /** {@code 30s}, {@code 5m}, {@code 1h} (or {@code 90s}, {@code 2h}): a whole number and one unit. */
  static Duration period(Where s, String written) {
    return duration(s, "period", written, SyncbeamConfig.DEFAULT_PERIOD);
  }

  private static Duration duration(Where s, String key, String written, Duration fallback) {
    if (written == null) return fallback;
    Matcher m = PERIOD.matcher(written.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw s.error(key, "'" + written + "' is not a duration: a whole number > 0 and a unit s, m or h (30s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static ApiSource apiSource(Where a, ConfigFile.Api n, String provider) {
    ProviderDescriptor descriptor = Providers.get(provider);
    String base = n.baseUrl() != null ? n.baseUrl() : descriptor.defaultBaseUrl();
    if (base == null) throw a.error("base_url", "is required for " + provider + " (the instance URL, e.g. https://acme.my.salesforce.com)");
    if (!base.startsWith("http://") && !base.startsWith("https://")) throw a.error("base_url", "must be an http(s) URL");
    if (n.apiToken() != null && !descriptor.acceptsApiToken()) {
      throw a.error("api_token", "is for Pipedrive; use token for " + provider);
    }
    if (n.token() == null && n.apiToken() == null && n.refreshToken() == null) {
      throw a.error(null, "needs credentials: token, api_token (Pipedrive) or refresh_token with client_id and client_secret");
    }
    if (n.refreshToken() != null && (n.clientId() == null || n.clientSecret() == null)) {
      throw a.error("refresh_token", "needs client_id and client_secret beside it");
    }
    int attempts = n.maxAttempts() == null ? ApiSource.DEFAULT_MAX_ATTEMPTS : n.maxAttempts();
    if (attempts < 1) throw a.error("max_attempts", "must be a whole number >= 1");
    long backoff = n.backoffMillis() == null ? ApiSource.DEFAULT_BACKOFF_MILLIS : n.backoffMillis();
    if (backoff < 1) throw a.error("backoff_ms", "must be a whole number >= 1");
    return new ApiSource(base, n.token(), n.apiToken(), n.refreshToken(), n.clientId(), n.clientSecret(),
        n.tokenUrl() != null ? n.tokenUrl() : descriptor.defaultTokenUrl(), attempts, backoff);
  }

  private static String required(Where w, String key, String value) {
    if (value == null || value.isBlank()) throw w.error(key, "is required");
    return value;
  }

  private static List<String> objectNames(Where w, String key, List<String> names) {
    if (names == null) return List.of();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || names.get(i).isBlank()) throw w.error(key + "[" + i + "]", "must be an object name");
    }
    return List.copyOf(names);
  }

  /** Where in the file a rule applies, for its message. */
  private record Where(Path file, String path) {
    Where child(String key) {
      return new Where(file, path.isEmpty() ? key : path + "." + key);
    }

    ConfigException error(String key, String message) {
      String at = key == null ? path : child(key).path;
      return new ConfigException(file + ": " + at + ": " + message);
    }
  }
}
