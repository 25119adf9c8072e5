package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.syncbeam.pipelines.ProviderCatalog;
import dev.syncbeam.transforms.providers.CommonObjectMappings;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code syncbeam.yaml}: expands {@code ${VAR}} from the environment, rejects unknown keys
 * (a typo must not silently change what is synced) and names the file and key in every error.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  public SyncbeamConfig load(Path file) {
    if (!Files.isRegularFile(file)) throw new ConfigException(file + ": config file not found");
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new ConfigException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
          + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw new ConfigException(file + ": expected a mapping at the top level");
    Ctx top = new Ctx(file, "");
    top.onlyKeys(root, Set.of("application_id", "destination", "webhook", "syncs"));
    String appId = top.string(root, "application_id", "default-app");
    JsonNode dest = root.path("destination");
    SyncbeamConfig.Destination destination;
    if (dest.isMissingNode() || dest.isNull()) {
      destination = new SyncbeamConfig.Destination(null, "supaglue", null, null, null);
    } else {
      Ctx d = top.child("destination");
      d.onlyKeys(dest, Set.of("url", "schema", "user", "password", "ssl_mode"));
      String url = d.string(dest, "url", null);
      if (url != null && !url.startsWith("jdbc:postgresql:")) {
        throw d.error("url", "must be a jdbc:postgresql:// URL");
      }
      destination = new SyncbeamConfig.Destination(url, d.string(dest, "schema", "supaglue"),
          d.string(dest, "user", null), d.string(dest, "password", null), d.string(dest, "ssl_mode", null));
    }
    JsonNode syncsNode = root.path("syncs");
    if (!syncsNode.isArray() || syncsNode.isEmpty()) throw top.error("syncs", "must list at least one sync");
    List<SyncbeamConfig.SyncEntry> syncs = new ArrayList<>();
    for (int i = 0; i < syncsNode.size(); i++) {
      syncs.add(syncEntry(top.child("syncs[" + i + "]"), syncsNode.get(i), file.toAbsolutePath().getParent()));
    }
    return new SyncbeamConfig(file, appId, destination, List.copyOf(syncs));
  }

  private SyncbeamConfig.SyncEntry syncEntry(Ctx c, JsonNode n, Path baseDir) {
    if (!n.isObject()) throw c.error(null, "must be a mapping");
    c.onlyKeys(n, Set.of("customer_id", "provider", "source", "common_objects", "standard_objects", "custom_objects",
        "strategy", "full_every_n_incrementals", "period"));
    String customer = c.required(n, "customer_id");
    String provider = c.required(n, "provider");
    if (!Providers.isKnown(provider)) throw c.error("provider", "unknown provider '" + provider + "' (salesforce, hubspot or pipedrive)");
    JsonNode source = n.path("source");
    if (!source.isObject()) throw c.error("source", "is required: { extract: DIR } or { api: {...} }");
    Ctx s = c.child("source");
    s.onlyKeys(source, Set.of("extract", "api"));
    if (source.has("api") == source.has("extract")) throw s.error(null, "needs exactly one of extract: DIR or api: {...}");
    Path root = source.has("extract") ? baseDir.resolve(s.required(source, "extract")).normalize() : null;
    ApiSource api = source.has("api") ? apiSource(s.child("api"), source.get("api"), provider) : null;
    String strategy = c.string(n, "strategy", RunModePolicy.FULL_THEN_INCREMENTAL);
    if (!strategy.equals(RunModePolicy.FULL_THEN_INCREMENTAL) && !strategy.equals(RunModePolicy.FULL_ONLY)) {
      throw c.error("strategy", "must be full_then_incremental or full_only, not '" + strategy + "'");
    }
    int everyN = 0;
    if (n.has("full_every_n_incrementals")) {
      JsonNode v = n.get("full_every_n_incrementals");
      if (!v.canConvertToInt() || v.asInt() < 0) throw c.error("full_every_n_incrementals", "must be a whole number >= 0");
      everyN = v.asInt();
    }
    List<String> common = c.list(n, "common_objects");
    List<String> standard = c.list(n, "standard_objects");
    List<String> custom = c.list(n, "custom_objects");
    // ---- common objects (issue 3): names checked here; SyncDefinition maps each to the provider object that feeds it ----
    for (int i = 0; i < common.size(); i++) {
      if (!CommonObjectMappings.isCommonObject(common.get(i))) {
        throw c.error("common_objects[" + i + "]", "unknown common object '" + common.get(i) + "' (expected one of "
            + String.join(", ", CommonObjectMappings.COMMON_OBJECTS) + ")");
      }
    }
    if (common.isEmpty() && standard.isEmpty() && custom.isEmpty()) throw c.error(null, "lists no objects to sync");
    return new SyncbeamConfig.SyncEntry(customer, provider, root, common, standard, custom, strategy, everyN, api);
  }

  private ApiSource apiSource(Ctx c, JsonNode n, String provider) {
    if (!n.isObject()) throw c.error(null, "must be a mapping: { base_url, token | api_token | refresh_token + client_id + client_secret }");
    c.onlyKeys(n, Set.of("base_url", "token", "api_token", "refresh_token", "client_id", "client_secret", "token_url",
        "max_attempts", "backoff_ms"));
    String base = c.string(n, "base_url", ProviderCatalog.defaultBaseUrl(provider));
    if (base == null) throw c.error("base_url", "is required for " + provider + " (the instance URL, e.g. https://acme.my.salesforce.com)");
    if (!base.startsWith("http://") && !base.startsWith("https://")) throw c.error("base_url", "must be an http(s) URL");
    String token = c.string(n, "token", null), apiToken = c.string(n, "api_token", null), refresh = c.string(n, "refresh_token", null);
    if (apiToken != null && !provider.equals("pipedrive")) throw c.error("api_token", "is for Pipedrive; use token for " + provider);
    if (token == null && apiToken == null && refresh == null) {
      throw c.error(null, "needs credentials: token, api_token (Pipedrive) or refresh_token with client_id and client_secret");
    }
    String clientId = c.string(n, "client_id", null), clientSecret = c.string(n, "client_secret", null);
    if (refresh != null && (clientId == null || clientSecret == null)) {
      throw c.error("refresh_token", "needs client_id and client_secret beside it");
    }
    int attempts = (int) number(c, n, "max_attempts", ApiSource.DEFAULT_MAX_ATTEMPTS);
    long backoff = number(c, n, "backoff_ms", ApiSource.DEFAULT_BACKOFF_MILLIS);
    return new ApiSource(base, token, apiToken, refresh, clientId, clientSecret,
        c.string(n, "token_url", ProviderCatalog.defaultTokenUrl(provider)), attempts, backoff);
  }

  private static long number(Ctx c, JsonNode n, String key, long dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return dflt;
    if (!v.canConvertToLong() || v.asLong() < 1) throw c.error(key, "must be a whole number >= 1");
    return v.asLong();
  }

  /** Where in the file we are, for error messages. */
  private final class Ctx {
    final Path file;
    final String path;

    Ctx(Path file, String path) {
      this.file = file;
      this.path = path;
    }

    Ctx child(String key) {
      return new Ctx(file, path.isEmpty() ? key : path + "." + key);
    }

    ConfigException error(String key, String message) {
      String at = key == null ? path : (path.isEmpty() ? key : path + "." + key);
      return new ConfigException(file + ": " + at + ": " + message);
    }

    void onlyKeys(JsonNode n, Set<String> allowed) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) throw error(k, "unknown key (expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }

    String string(JsonNode n, String key, String dflt) {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) return dflt;
      if (!v.isValueNode()) throw error(key, "must be a single value");
      return expand(key, v.asText());
    }

    String required(JsonNode n, String key) {
      String v = string(n, key, null);
      if (v == null || v.isBlank()) throw error(key, "is required");
      return v;
    }

    List<String> list(JsonNode n, String key) {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) return List.of();
      if (!v.isArray()) throw error(key, "must be a list");
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (!e.isValueNode() || e.asText().isBlank()) throw error(key + "[" + i + "]", "must be an object name");
        out.add(e.asText());
      }
      return out;
    }

    String expand(String key, String value) {
      Matcher m = VAR.matcher(value);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String v = env.apply(m.group(1));
        if (v == null) throw error(key, "environment variable " + m.group(1) + " is not set");
        m.appendReplacement(sb, Matcher.quoteReplacement(v));
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }

}
