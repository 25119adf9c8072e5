package dev.syncbeam.sandbox.api.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.ApiError;
import dev.syncbeam.sandbox.api.ApiRequest;
import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.EndpointKind;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.RateLimiter;
import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.ObjectTable;
import dev.syncbeam.sandbox.api.RecordSeeds;
import dev.syncbeam.sandbox.api.RecordView;
import dev.syncbeam.sandbox.api.ProviderEmulator;
import dev.syncbeam.sandbox.api.Tenant;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.pipedrive.PipedriveRecordGenerator.CustomKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

/**
 * Pipedrive v1: offset-paged lists of live items, /v1/recents (every change since a timestamp,
 * deletions included: the incremental read), field definitions, stages, pipelines, and writes
 * (DELETE keeps the item with delete_time set, the way it then shows up in recents).
 */
public final class PipedriveEmulator implements ProviderEmulator {
  static final Instant SEED_EPOCH = Instant.parse("2025-01-01T00:00:00Z");
  private static final List<String> OBJECTS = List.of("users", "organizations", "persons", "deals", "leads");
  private static final Map<String, String> RECENT_ITEMS = Map.of("person", "persons", "organization", "organizations", "deal", "deals", "lead", "leads");
  /** Pipedrive v1 lists cannot select fields: every read gets whole items. */
  private static final List<String> WHOLE_ITEMS = List.of("*");
  private final int maxLimit;
  private final Map<String, CustomKeys> keys = new ConcurrentHashMap<>();

  public PipedriveEmulator(int maxLimit) {
    this.maxLimit = maxLimit;
  }

  @Override
  public String provider() {
    return "pipedrive";
  }

  @Override
  public List<String> objects() {
    return OBJECTS;
  }

  @Override
  public void seed(Tenant tenant, long seed, int recordsPerObject) {
    Random random = new Random(seed);
    CustomKeys k = new CustomKeys(PipedriveSchema.customKey(random), PipedriveSchema.customKey(random), PipedriveSchema.customKey(random),
        PipedriveSchema.customKey(random));
    keys.put(tenant.baseUrl(), k);
    for (String object : OBJECTS) {
      RecordSeeds seeds = new RecordSeeds(seed, object, SEED_EPOCH, ChronoUnit.SECONDS, recordsPerObject);
      LongPredicate deleted = n -> !object.equals("users") && seeds.oneIn(n, 25);
      tenant.addTable(ObjectTable.seeded(object, ChronoUnit.SECONDS, SEED_EPOCH, seeds, n -> PipedriveRecordGenerator.id(object, n), deleted, n -> {
        Random rnd = seeds.random(n);
        Instant modified = seeds.modified(n);
        Instant created = modified.minusSeconds(rnd.nextInt(86_400 * 30));
        ObjectNode r = PipedriveRecordGenerator.generate(object, n, recordsPerObject, rnd, created, modified, k);
        if (deleted.test(n)) markDeleted(object, r, modified);
        return r;
      }, r -> isDeleted(object, r)));
    }
    tenant.putReference("pipelines", PipedriveSchema.pipelines());
    tenant.putReference("stages", PipedriveSchema.stages());
    tenant.putReference("dealFields", PipedriveSchema.fields(new String[] {"title:Title:varchar", "value:Value:monetary", "currency:Currency:varchar",
        "stage_id:Stage:stage", "pipeline_id:Pipeline:double", "status:Status:status", "person_id:Contact person:people",
        "org_id:Organization:org", "user_id:Owner:user", "add_time:Deal created:date", "update_time:Update time:date",
        "close_time:Deal closed on:date", "expected_close_date:Expected close date:date"},
        new String[][] {{k.dealTier(), "Contract tier", "enum"}, {k.dealRenewal(), "Renewal date", "date"}}));
    tenant.putReference("personFields", PipedriveSchema.fields(new String[] {"name:Name:varchar", "first_name:First name:varchar",
        "last_name:Last name:varchar", "email:Email:varchar", "phone:Phone:phone", "org_id:Organization:org", "owner_id:Owner:user",
        "add_time:Person created:date", "update_time:Update time:date"}, new String[][] {{k.personLanguage(), "Preferred language", "varchar"}}));
    tenant.putReference("organizationFields", PipedriveSchema.fields(new String[] {"name:Name:varchar", "address:Address:address",
        "owner_id:Owner:user", "people_count:People:int", "add_time:Organization created:date", "update_time:Update time:date"},
        new String[][] {{k.orgRegion(), "Sales region", "varchar"}}));
  }

  @Override
  public EndpointKind kind(ApiRequest req) {
    String[] s = req.segments();
    if (s.length < 2) return EndpointKind.METADATA;
    if (s[1].equals("recents")) return EndpointKind.RECENTS;
    if (!OBJECTS.contains(s[1])) return EndpointKind.METADATA;
    if (!req.is("GET")) return EndpointKind.WRITE;
    return s.length == 2 ? EndpointKind.LIST : EndpointKind.RECORD;
  }

  @Override
  public RateLimiter rateLimiter(RateLimits limits) {
    return limits.enforced() ? new PipedriveRateLimiter(limits) : RateLimiter.NONE;
  }

  @Override
  public ApiResponse handle(Tenant tenant, ApiRequest req) {
    String[] s = req.segments();
    if (s.length < 2 || !s[0].equals("v1")) throw notFound(req.path());
    String what = s[1];
    if (s.length == 2 && req.is("GET")) {
      switch (what) {
        case "recents":
          return recents(tenant, req);
        case "stages", "pipelines", "dealFields", "personFields", "organizationFields":
          return ApiResponse.json(200, tenant.reference(what));
        default:
          if (OBJECTS.contains(what)) return list(tenant, tenant.table(what), what, req);
          throw notFound(req.path());
      }
    }
    if (!OBJECTS.contains(what) || what.equals("users") && !req.is("GET")) throw notFound(req.path());
    if (s.length == 2 && req.is("POST")) return ok(201, create(tenant, what, (ObjectNode) Json.parse(req.body())));
    if (s.length != 3) throw notFound(req.path());
    if (s[2].equals("search") && what.equals("persons") && req.is("GET")) return searchPersons(tenant, req);
    String id = s[2];
    if (req.is("GET")) {
      ObjectNode r = tenant.table(what).get(id);
      if (r == null) throw notFound(req.path());
      return ok(200, r);
    }
    if (req.is("PUT") || req.is("PATCH")) { // leads are updated with PATCH, the rest with PUT
      ObjectNode r = update(tenant, what, id, (ObjectNode) Json.parse(req.body()));
      if (r == null) throw notFound(req.path());
      return ok(200, r);
    }
    if (req.is("DELETE")) {
      if (!delete(tenant, what, id)) throw notFound(req.path());
      ObjectNode data = Json.object();
      if (what.equals("leads")) data.put("id", id);
      else data.put("id", Long.parseLong(id));
      return ok(200, data);
    }
    throw notFound(req.path());
  }

  /**
   * {@code GET /v1/persons/search?term=&fields=email&exact_match=true}: live persons one of whose
   * email values is the term, in the search answer's shape ({@code data.items[].item}).
   */
  private ApiResponse searchPersons(Tenant tenant, ApiRequest req) {
    String term = req.param("term", null);
    if (term == null || term.length() < 2) throw new ApiError(ApiResponse.json(400, error(400, "term must be at least 2 characters")));
    if (!req.param("fields", "email").equals("email") || !Boolean.parseBoolean(req.param("exact_match", "false"))) {
      throw new ApiError(ApiResponse.json(400, error(400, "the sandbox searches persons by exact email only (fields=email, exact_match=true)")));
    }
    ArrayNode items = Json.array();
    for (ObjectNode r : tenant.table("persons").select(r -> !isDeleted("persons", r))) {
      boolean hit = false;
      for (JsonNode e : r.path("email")) hit |= term.equalsIgnoreCase(e.path("value").asText());
      if (!hit) continue;
      ObjectNode item = items.addObject().put("result_score", 1.0).putObject("item");
      item.put("id", r.get("id").asLong()).put("type", "person").put("name", r.path("name").asText());
      ArrayNode emails = item.putArray("emails");
      r.path("email").forEach(e -> emails.add(e.path("value").asText()));
    }
    ObjectNode body = Json.object().put("success", true);
    body.putObject("data").set("items", items);
    body.putObject("additional_data").putObject("pagination").put("start", 0).put("limit", items.size())
        .put("more_items_in_collection", false);
    return ApiResponse.json(200, body);
  }

  /** Live items only (deals: status filter, default all_not_deleted; leads: archived_status, default not_archived). */
  private ApiResponse list(Tenant tenant, ObjectTable table, String object, ApiRequest req) {
    tenant.requested(object, WHOLE_ITEMS);
    String status = req.param("status", "all_not_deleted");
    if (object.equals("deals") && !status.equals("all_not_deleted")) {
      return page(RecordView.of(table.select(r -> r.get("status").asText().equals(status))), req, Json.object());
    }
    Deletion wanted = Deletion.LIVE;
    if (object.equals("leads")) {
      String archived = req.param("archived_status", "not_archived");
      wanted = archived.equals("all") ? Deletion.ANY : archived.equals("archived") ? Deletion.DELETED : Deletion.LIVE;
    }
    return page(table.inIdOrder(1, Long.MAX_VALUE, wanted, r -> true), req, Json.object());
  }

  /** Everything changed at or after since_timestamp, oldest first, deletions included. */
  private ApiResponse recents(Tenant tenant, ApiRequest req) {
    String since = req.param("since_timestamp", null);
    if (since == null) throw new ApiError(ApiResponse.json(400, error(400, "since_timestamp is required")));
    Instant from;
    try {
      from = WireTimestamps.parsePipedrive(since);
    } catch (RuntimeException e) {
      throw new ApiError(ApiResponse.json(400, error(400, "since_timestamp must be YYYY-MM-DD HH:MM:SS")));
    }
    List<String> items = new ArrayList<>();
    for (String item : req.param("items", String.join(",", RECENT_ITEMS.keySet())).split(",")) {
      if (!RECENT_ITEMS.containsKey(item.trim())) throw new ApiError(ApiResponse.json(400, error(400, "unsupported item type " + item)));
      items.add(item.trim());
    }
    ObjectNode extra = Json.object().put("since_timestamp", since);
    if (items.size() == 1) {
      // one item type: its changes are an index range of the seeded records, then the writes
      String item = items.get(0), object = RECENT_ITEMS.get(item);
      tenant.requested(object, WHOLE_ITEMS);
      ObjectTable table = tenant.table(object);
      long lo = table.firstSeededWhere(n -> !table.seededModified(n).isBefore(from));
      Comparator<ObjectNode> byModified = Comparator.comparing((ObjectNode r) -> PipedriveRecordGenerator.modified(object, r))
          .thenComparing(r -> r.get("id").asText(), ObjectTable.ID_ORDER);
      RecordView changed = table.inModificationOrder(lo, Long.MAX_VALUE, Deletion.ANY,
          r -> !PipedriveRecordGenerator.modified(object, r).isBefore(from), byModified);
      return page(changed, req, extra, r -> change(item, object, r));
    }
    List<ObjectNode> changes = new ArrayList<>();
    for (String item : items) {
      String object = RECENT_ITEMS.get(item);
      for (ObjectNode r : tenant.table(object).select(r -> !PipedriveRecordGenerator.modified(object, r).isBefore(from))) {
        changes.add(change(item, object, r));
      }
    }
    changes.sort(Comparator.comparing((ObjectNode c) -> PipedriveRecordGenerator.modified(RECENT_ITEMS.get(c.get("item").asText()), (ObjectNode) c.get("data")))
        .thenComparing(c -> c.get("item").asText()).thenComparing(c -> c.get("id").asText(), ObjectTable.ID_ORDER));
    return page(RecordView.of(changes), req, extra);
  }

  private static ObjectNode change(String item, String object, ObjectNode r) {
    ObjectNode change = Json.object().put("item", item);
    if (object.equals("leads")) change.put("id", r.get("id").asText());
    else change.put("id", r.get("id").asLong());
    change.set("data", r);
    return change;
  }

  private ApiResponse page(RecordView rows, ApiRequest req, ObjectNode additional) {
    return page(rows, req, additional, r -> r);
  }

  /** start/limit paging with more_items_in_collection and next_start, like every v1 list; {@code shape} wraps each row. */
  private ApiResponse page(RecordView rows, ApiRequest req, ObjectNode additional, UnaryOperator<ObjectNode> shape) {
    int start = Math.max(0, req.intParam("start", 0));
    int limit = Math.max(1, Math.min(req.intParam("limit", 100), maxLimit));
    int total = rows.size();
    int end = Math.min(total, start + limit);
    ObjectNode body = Json.object().put("success", true);
    List<ObjectNode> pageRows = new ArrayList<>();
    for (ObjectNode r : rows.page(start, limit)) pageRows.add(shape.apply(r));
    if (start >= total) body.putNull("data");
    else {
      ArrayNode data = body.putArray("data");
      pageRows.forEach(data::add);
    }
    ObjectNode pagination = Json.object().put("start", start).put("limit", limit).put("more_items_in_collection", end < total);
    if (end < total) pagination.put("next_start", end);
    if (additional.has("since_timestamp") && !pageRows.isEmpty()) {
      ObjectNode last = pageRows.get(pageRows.size() - 1);
      String object = RECENT_ITEMS.get(last.get("item").asText());
      additional.put("last_timestamp_on_page", WireTimestamps.pipedrive(PipedriveRecordGenerator.modified(object, (ObjectNode) last.get("data"))));
    }
    additional.set("pagination", pagination);
    body.set("additional_data", additional);
    return ApiResponse.json(200, body);
  }

  @Override
  public ObjectNode create(Tenant tenant, String object, ObjectNode fields) {
    int users = Math.max(1, tenant.table("users").size());
    CustomKeys k = keys.get(tenant.baseUrl());
    return tenant.table(object).insert((n, now) -> {
      ObjectNode r = PipedriveRecordGenerator.generate(object, n, users, new Random(n), now, now, k);
      if (fields != null) applyFields(r, fields);
      return r;
    });
  }

  @Override
  public ObjectNode firstNameChange(String firstName) {
    // Pipedrive keeps the full name beside its parts, and its API writes both
    return Json.MAPPER.createObjectNode().put("first_name", firstName).put("name", firstName + " Person");
  }

  @Override
  public ObjectNode update(Tenant tenant, String object, String id, ObjectNode fields) {
    ObjectNode current = tenant.table(object).get(id);
    if (current == null || isDeleted(object, current)) return null;
    return tenant.table(object).modify(id, (r, t) -> {
      if (fields != null) applyFields(r, fields);
      PipedriveRecordGenerator.stamp(object, r, t);
    });
  }

  @Override
  public boolean delete(Tenant tenant, String object, String id) {
    ObjectNode current = tenant.table(object).get(id);
    if (current == null || isDeleted(object, current) || object.equals("users")) return false;
    tenant.table(object).modify(id, (r, t) -> markDeleted(object, r, t));
    return true;
  }

  /** Persons and organizations get delete_time; deals status deleted; leads are archived (they have no delete_time). */
  private static void markDeleted(String object, ObjectNode r, Instant t) {
    switch (object) {
      case "deals" -> r.put("deleted", true).put("active", false).put("status", "deleted");
      case "leads" -> r.put("is_archived", true).put("archive_time", WireTimestamps.isoMillis(t));
      default -> r.put("active_flag", false).put("delete_time", WireTimestamps.pipedrive(t));
    }
    PipedriveRecordGenerator.stamp(object, r, t);
  }

  /**
   * Fields are taken as given (id and timestamps are the server's). As the real API does, a person's
   * name given alone also sets first_name and last_name, and a list of emails or phones none of
   * which is flagged primary gets its first entry as the primary one.
   */
  private static void applyFields(ObjectNode r, ObjectNode fields) {
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (List.of("id", "add_time", "update_time", "delete_time", "modified", "created").contains(e.getKey())) continue;
      r.set(e.getKey(), e.getValue().deepCopy());
    }
    if (fields.hasNonNull("name") && !fields.has("first_name") && !fields.has("last_name") && r.has("first_name")) {
      String name = fields.get("name").asText().trim();
      int space = name.indexOf(' ');
      r.put("first_name", space < 0 ? name : name.substring(0, space));
      if (space < 0) r.putNull("last_name");
      else r.put("last_name", name.substring(space + 1));
    }
    for (String list : List.of("email", "phone")) {
      JsonNode entries = fields.get(list);
      if (entries == null || !entries.isArray() || entries.isEmpty()) continue;
      boolean flagged = false;
      for (JsonNode entry : r.get(list)) flagged |= entry.path("primary").asBoolean(false);
      if (!flagged && r.get(list).get(0) instanceof ObjectNode first) first.put("primary", true);
    }
  }

  @Override
  public boolean isDeleted(String object, JsonNode r) {
    return switch (object) {
      case "deals" -> r.path("deleted").asBoolean(false);
      case "leads" -> r.path("is_archived").asBoolean(false);
      case "users" -> r.path("is_deleted").asBoolean(false);
      default -> !r.path("delete_time").isNull() && !r.path("delete_time").isMissingNode();
    };
  }

  @Override
  public String id(JsonNode record) {
    return record.get("id").asText();
  }

  private static ApiResponse ok(int status, ObjectNode data) {
    ObjectNode body = Json.object().put("success", true);
    body.set("data", data);
    return ApiResponse.json(status, body);
  }

  @Override
  public JsonNode errorBody(int status, String message) {
    return error(status, switch (status) {
      case 401 -> "unauthorized access";
      case 429 -> "Request over limit";
      default -> message;
    });
  }

  static ObjectNode error(int status, String message) {
    return Json.object().put("success", false).put("error", message).put("errorCode", status)
        .put("error_info", "Please check developers.pipedrive.com for more information about Pipedrive API.");
  }

  private static ApiError notFound(String path) {
    return new ApiError(ApiResponse.json(404, error(404, "Not found: " + path)));
  }
}
