package dev.syncbeam.transforms.providers.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.http.ApiClient;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * HubSpot CRM v3. Full runs list the live records and then the archived ones (archived=true lists
 * only those); incremental runs search on the last-modified property, plus the archived listing
 * filtered client-side, since search never returns archived records. Search cannot page past
 * 10,000 results, so a larger change set falls back to the full listing filtered client-side.
 */
public final class HubSpotApi implements ProviderApi<HubSpotApi.HubSpotRead> {
  static final int SEARCH_CAP = 10_000;
  private static final Set<String> STANDARD_TYPES = Set.of("contacts", "companies", "deals", "tickets", "products",
      "line_items", "quotes", "calls", "emails", "meetings", "notes", "tasks", "communications", "postal_mail", "leads");
  /** The objects whose records carry their company associations. */
  static final Set<String> WITH_COMPANIES = Set.of("contacts", "deals");
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HubSpotRecords RECORDS = new HubSpotRecords();

  private final int pageSize;

  public HubSpotApi() {
    this(100);
  }

  /** Page size is a parameter so tests can force paging. */
  public HubSpotApi(int pageSize) {
    this.pageSize = pageSize;
  }

  /** A HubSpot read: one listing or search, page by page. */
  public sealed interface HubSpotRead extends ApiReadTask {}

  /**
   * {@code GET /crm/v3/objects/{type}}, live or archived records (archived=true lists only those).
   * With {@code since}, only records modified (or archived) at or after it are kept.
   */
  public record ListObjects(String syncLabel, String type, List<String> properties, boolean withCompanies, boolean archived,
      Instant since) implements HubSpotRead {
    public ListObjects {
      properties = List.copyOf(properties);
    }

    @Override public String describe() {
      return (archived ? "archived " : "") + type + (since == null ? "" : " modified since " + since);
    }
  }

  /** {@code POST /crm/v3/objects/{type}/search} on the modification property, from {@code since}. */
  public record SearchChanged(String syncLabel, String type, List<String> properties, boolean withCompanies,
      String searchProperty, Instant since) implements HubSpotRead {
    public SearchChanged {
      properties = List.copyOf(properties);
    }

    @Override public String describe() {
      return type + " changed since " + since;
    }
  }

  /** {@code GET /crm/v3/owners}, live or archived. */
  public record ListOwners(String syncLabel, boolean archived, Instant since) implements HubSpotRead {
    @Override public String describe() {
      return (archived ? "archived " : "") + "owners";
    }
  }

  @Override
  public Class<HubSpotRead> taskType() {
    return HubSpotRead.class;
  }

  @Override
  public List<HubSpotRead> plan(PlannedSync sync, ApiClient client) throws IOException {
    String object = sync.key().object();
    if (!TYPE_NAME.matcher(object).matches()) {
      throw new IllegalArgumentException("'" + object + "' is not a HubSpot object type name");
    }
    Instant since = sync.readFrom();
    if (sync.mode() == RunMode.DELETE_CHECK) {
      // ids only: the live listing asking for the id property alone (leaving properties out gets the
      // defaults) and no associations; archived records are not listed, so they are swept
      if (object.equals("owners")) return List.of(new ListOwners(sync.runKey(), false, null));
      return List.of(new ListObjects(sync.runKey(), objectType(object, client), List.of("hs_object_id"), false, false, null));
    }
    if (object.equals("owners")) {
      return List.of(new ListOwners(sync.runKey(), false, since), new ListOwners(sync.runKey(), true, since));
    }
    String type = objectType(object, client);
    List<String> properties = properties(type, client);
    boolean companies = WITH_COMPANIES.contains(object);
    ListObjects archived = new ListObjects(sync.runKey(), type, properties, companies, true, since);
    if (since == null) return List.of(new ListObjects(sync.runKey(), type, properties, companies, false, null), archived);
    String searchProperty = object.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
    return List.of(new SearchChanged(sync.runKey(), type, properties, companies, searchProperty, since), archived);
  }

  @Override
  public void read(PlannedSync sync, HubSpotRead task, ApiClient client, RecordSink out) throws IOException {
    if (task instanceof ListOwners o) {
      list("/crm/v3/owners", Map.of("archived", String.valueOf(o.archived())), o.since(), client, out, o.describe());
    } else if (task instanceof ListObjects l) {
      list(objectsPath(l.type()), objectQuery(l.properties(), l.withCompanies(), l.archived()), l.since(), client, out,
          (l.archived() ? l.type() + " archived" : l.type()));
    } else {
      search((SearchChanged) task, client, out);
    }
  }

  @Override
  public CommonLookups lookups(String object, CommonObject commonObject, ApiClient client, Consumer<String> warnings) throws IOException {
    if (commonObject != CommonObject.OPPORTUNITIES) return CommonLookups.NONE;
    return HubSpotCommonObjects.pipelineLookups(List.of(client.getJson("/crm/v3/pipelines/deals", Map.of())),
        "/crm/v3/pipelines/deals", warnings);
  }

  @Override
  public void probe(String object, ApiClient client) throws IOException {
    if (!TYPE_NAME.matcher(object).matches()) throw new IllegalArgumentException("'" + object + "' is not a HubSpot object type");
    if (object.equals("owners")) client.getJson("/crm/v3/owners", Map.of("limit", "1"));
    else properties(objectType(object, client), client);
  }

  /** The object name, when it is one a URL path can hold; else {@link IllegalArgumentException}. */
  static String typeName(String object) {
    if (object == null || !TYPE_NAME.matcher(object).matches()) {
      throw new IllegalArgumentException("'" + object + "' is not a HubSpot object type name");
    }
    return object;
  }

  /** A standard type reads as named; anything else must be a custom object schema, by name or objectTypeId. */
  static String objectType(String object, ApiClient client) throws IOException {
    if (STANDARD_TYPES.contains(object)) return object;
    for (JsonNode schema : client.getJson("/crm/v3/schemas", Map.of()).path("results")) {
      if (object.equals(schema.path("name").asText()) || object.equals(schema.path("objectTypeId").asText())) {
        String id = schema.path("objectTypeId").asText();
        if (TYPE_NAME.matcher(id).matches()) return id;
      }
    }
    return object; // an unlisted type: let the API answer for it
  }

  /** Every property of the type, so records carry all of them. */
  static List<String> properties(String type, ApiClient client) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode p : client.getJson("/crm/v3/properties/" + type, Map.of()).path("results")) {
      if (p.hasNonNull("name")) names.add(p.get("name").asText());
    }
    return names;
  }

  private static String objectsPath(String type) {
    return "/crm/v3/objects/" + type;
  }

  private static Map<String, String> objectQuery(List<String> properties, boolean withCompanies, boolean archived) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("archived", String.valueOf(archived));
    if (!properties.isEmpty()) q.put("properties", String.join(",", properties));
    if (withCompanies) q.put("associations", "companies");
    return q;
  }

  /** Follows paging.next.after; with {@code since}, keeps only records modified (or archived) at or after it. */
  private void list(String path, Map<String, String> query, Instant since, ApiClient client, RecordSink out, String what)
      throws IOException {
    String after = null;
    int pageNumber = 0;
    do {
      Map<String, String> q = new LinkedHashMap<>(query);
      q.put("limit", String.valueOf(pageSize));
      if (after != null) q.put("after", after);
      JsonNode page = client.getJson(path, q);
      pageNumber++;
      for (JsonNode r : page.path("results")) {
        if (since == null || RECORDS.modifiedAtOrAfter(r, since)) out.accept(JSON.writeValueAsString(r), "hubspot " + what + " page " + pageNumber);
      }
      after = page.path("paging").path("next").path("after").asText(null);
    } while (after != null);
  }


  private static boolean pastCap(String after) {
    try {
      return Long.parseLong(after) >= SEARCH_CAP;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Search results carry no associations; without them an incremental run would blank the
   * account of every changed contact and deal. One batch read per page puts them back, in the
   * shape the list endpoint uses ({@code associations.companies.results}).
   */
  private void withCompanies(String type, JsonNode results, ApiClient client) throws IOException {
    if (results.isEmpty()) return;
    List<Map<String, String>> inputs = new ArrayList<>();
    for (JsonNode r : results) inputs.add(Map.of("id", r.path("id").asText()));
    JsonNode found = client.postJson("/crm/v3/associations/" + type + "/companies/batch/read", Map.of("inputs", inputs));
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode a : found.path("results")) byId.put(a.path("from").path("id").asText(), a.path("to"));
    for (JsonNode r : results) {
      JsonNode to = byId.get(r.path("id").asText());
      if (to != null && r instanceof ObjectNode o) {
        o.putObject("associations").putObject("companies").set("results", to);
      }
    }
  }

  private void search(SearchChanged task, ApiClient client, RecordSink out) throws IOException {
    String path = objectsPath(task.type()) + "/search";
    Map<String, String> listing = objectQuery(task.properties(), task.withCompanies(), false);
    String after = null;
    int pageNumber = 0;
    do {
      if (after != null && pastCap(after)) {
        // more changes arrived while paging: finish with the listing (duplicates are harmless)
        list(objectsPath(task.type()), listing, task.since(), client, out, task.type() + " changed");
        return;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", task.searchProperty(),
          "operator", "GTE", "value", String.valueOf(task.since().toEpochMilli()))))));
      body.put("sorts", List.of(Map.of("propertyName", task.searchProperty(), "direction", "ASCENDING")));
      body.put("properties", task.properties());
      body.put("limit", pageSize);
      if (after != null) body.put("after", after);
      JsonNode page = client.postJson(path, body);
      pageNumber++;
      if (after == null && page.path("total").asLong() >= SEARCH_CAP) {
        // search cannot page this far: the full listing, filtered here, misses nothing
        list(objectsPath(task.type()), listing, task.since(), client, out, task.type() + " changed");
        return;
      }
      if (task.withCompanies()) withCompanies(task.type(), page.path("results"), client);
      for (JsonNode r : page.path("results")) out.accept(JSON.writeValueAsString(r), "hubspot " + task.type() + " search page " + pageNumber);
      after = page.path("paging").path("next").path("after").asText(null);
    } while (after != null);
  }
}
