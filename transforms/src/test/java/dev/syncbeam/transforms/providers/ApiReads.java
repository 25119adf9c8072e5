package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plans and reads one sync through a provider's API, as ReadProvider does, collecting the records. */
public final class ApiReads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiReads() {}

  public static PlannedSync sync(String provider, String object, Instant readFrom, ApiSource source) {
    return new PlannedSync(new SyncKey("app", provider, "acme", object), readFrom == null ? RunMode.FULL : RunMode.INCREMENTAL,
        1L, Instant.parse("2026-06-01T00:00:00Z"), readFrom, null, provider + "_" + object.toLowerCase(), null, null,
        CommonLookups.NONE, source);
  }

  /** Every record of every planned task, parsed. */
  public static <T extends ApiReadTask> List<JsonNode> readAll(ProviderApi<T> api, PlannedSync sync) throws IOException {
    ApiClient client = new ApiClient(sync.key().provider(), sync.api());
    List<JsonNode> records = new ArrayList<>();
    for (T task : api.plan(sync, client)) read(api, sync, task, client, records);
    return records;
  }

  public static <T extends ApiReadTask> void read(ProviderApi<T> api, PlannedSync sync, T task, ApiClient client,
      List<JsonNode> into) throws IOException {
    api.read(sync, task, client, (json, origin) -> {
      try {
        into.add(JSON.readTree(json));
      } catch (IOException e) {
        throw new IllegalStateException("record from " + origin + " is not JSON", e);
      }
    });
  }
}
