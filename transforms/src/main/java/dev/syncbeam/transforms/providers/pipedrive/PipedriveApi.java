package dev.syncbeam.transforms.providers.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Pipedrive v1. Full runs page through the list endpoint (live items only: the full-refresh sweep
 * marks the rest deleted); incremental runs page through {@code /v1/recents}, which also carries
 * deleted items. Users and leads are not in the real recents endpoint, so they are always listed,
 * filtered here (leads with {@code archived_status=all}, so archived leads come back marked).
 */
public final class PipedriveApi implements ProviderApi<PipedriveApi.PipedriveRead> {
  private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Map<String, String> ITEM = Map.of("persons", "person", "organizations", "organization",
      "deals", "deal", "leads", "lead", "activities", "activity", "products", "product", "notes", "note", "files", "file");
  /** Objects /v1/recents does not carry (at the real API): incremental runs list them and filter. */
  private static final Set<String> LISTED_ALWAYS = Set.of("users", "leads");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PipedriveRecords RECORDS = new PipedriveRecords();

  private final int pageSize;

  public PipedriveApi() {
    this(100);
  }

  /** Page size is a parameter so tests can force paging. */
  public PipedriveApi(int pageSize) {
    this.pageSize = pageSize;
  }

  /** A Pipedrive read: one listing, page by page with start/limit. */
  public sealed interface PipedriveRead extends ApiReadTask {
    String object();

    Instant since();
  }

  /**
   * {@code GET /v1/{object}} (leads with archived_status=all, so archived leads come back marked);
   * with {@code since}, only items modified at or after it are kept.
   */
  public record ListItems(String syncLabel, String object, Instant since) implements PipedriveRead {
    @Override public String describe() {
      return object + (since == null ? "" : " modified since " + since);
    }
  }

  /** {@code GET /v1/recents} for the object's item type: changes and deletions since {@code since}. */
  public record RecentChanges(String syncLabel, String object, Instant since) implements PipedriveRead {
    @Override public String describe() {
      return "recent " + object + " changes since " + since;
    }
  }

  @Override
  public Class<PipedriveRead> taskType() {
    return PipedriveRead.class;
  }

  @Override
  public List<PipedriveRead> plan(PlannedSync sync, ApiClient client) {
    String object = sync.key().object();
    if (!NAME.matcher(object).matches()) throw new IllegalArgumentException("'" + object + "' is not a Pipedrive object name");
    Instant since = sync.readFrom();
    if (since == null || LISTED_ALWAYS.contains(object)) return List.of(new ListItems(sync.runKey(), object, since));
    return List.of(new RecentChanges(sync.runKey(), object, since));
  }

  @Override
  public void read(PlannedSync sync, PipedriveRead task, ApiClient client, RecordSink out) throws IOException {
    String object = task.object();
    Instant since = task.since();
    if (task instanceof ListItems) {
      pages("/v1/" + object, object.equals("leads") ? Map.of("archived_status", "all") : Map.of(), client, (page, n) -> {
        for (JsonNode r : page.path("data")) {
          if (since == null || RECORDS.modifiedAtOrAfter(r, since)) out.accept(JSON.writeValueAsString(r), "pipedrive " + object + " page " + n);
        }
      });
      return;
    }
    String item = item(object);
    pages("/v1/recents", Map.of("since_timestamp", SINCE.format(since), "items", item), client, (page, n) -> {
      for (JsonNode change : page.path("data")) {
        JsonNode r = change.path("data");
        if (item.equals(change.path("item").asText(item)) && r.isObject()) {
          out.accept(JSON.writeValueAsString(r), "pipedrive recents " + item + " page " + n);
        }
      }
    });
  }

  @Override
  public CommonLookups lookups(String object, CommonObject commonObject, ApiClient client, Consumer<String> warnings) throws IOException {
    return PipedriveCommonObjects.lookups(commonObject, api -> {
      List<JsonNode> responses = new ArrayList<>();
      pages("/v1/" + api, Map.of(), client, (page, n) -> responses.add(page));
      return responses;
    }, "the Pipedrive API (/v1/stages, /v1/pipelines)", warnings);
  }

  @Override
  public void probe(String object, ApiClient client) throws IOException {
    if (!NAME.matcher(object).matches()) throw new IllegalArgumentException("'" + object + "' is not a Pipedrive object name");
    client.getJson("/v1/" + object, Map.of("start", "0", "limit", "1"));
  }

  /** The singular item name /v1/recents filters on. */
  static String item(String object) {
    String item = ITEM.get(object);
    return item != null ? item : object.endsWith("s") ? object.substring(0, object.length() - 1) : object;
  }


  @FunctionalInterface
  private interface PageHandler {
    void page(JsonNode page, int pageNumber) throws IOException;
  }

  /** start/limit paging, for as long as more_items_in_collection says so. */
  private void pages(String path, Map<String, String> query, ApiClient client, PageHandler handler) throws IOException {
    long start = 0;
    for (int n = 1; ; n++) {
      Map<String, String> q = new LinkedHashMap<>(query);
      q.put("start", String.valueOf(start));
      q.put("limit", String.valueOf(pageSize));
      JsonNode page = client.getJson(path, q);
      handler.page(page, n);
      JsonNode pagination = page.path("additional_data").path("pagination");
      if (!pagination.path("more_items_in_collection").asBoolean(false)) return;
      long next = pagination.hasNonNull("next_start") ? pagination.get("next_start").asLong() : start + page.path("data").size();
      if (next <= start) return; // a server that does not move on would loop forever
      start = next;
    }
  }
}
