package dev.syncbeam.pipelines.serve;

import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels a common object's mapping needs (pipelines, stages, field names), fetched from the
 * provider the way a sync's driver fetches them, and kept a minute so a burst of writes does not
 * re-read them for every record.
 */
final class MappingLookups {
  private static final Logger LOG = LoggerFactory.getLogger(MappingLookups.class);
  private static final Duration FRESH = Duration.ofMinutes(1);

  private record Fetched(CommonLookups lookups, Instant at) {}

  private final Map<String, Fetched> cache = new ConcurrentHashMap<>();

  CommonLookups of(CrmConnection c, String providerObject, CommonObject object, ApiClient client) throws IOException {
    String key = c.customerId() + "/" + c.provider() + "/" + object.value();
    Fetched f = cache.get(key);
    if (f != null && f.at().plus(FRESH).isAfter(Instant.now())) return f.lookups();
    CommonLookups lookups = Providers.get(c.provider()).api().lookups(providerObject, object, client,
        warning -> LOG.warn("{}: {}", key, warning));
    cache.put(key, new Fetched(lookups, Instant.now()));
    return lookups;
  }
}
