package dev.syncbeam.sandbox.api.salesforce;

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
import dev.syncbeam.sandbox.api.ObjectTable;
import dev.syncbeam.sandbox.api.RecordSeeds;
import dev.syncbeam.sandbox.api.RecordView;
import dev.syncbeam.sandbox.api.ProviderEmulator;
import dev.syncbeam.sandbox.api.Tenant;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.Field;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.SObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Salesforce REST (describe, query/queryAll with nextRecordsUrl cursors, sObject writes) and Bulk
 * API 2.0 query jobs. A query's result set is fixed when it is run (real cursors are snapshots
 * too), so a reader paging through it sees each record exactly once even while writes land.
 */
public final class SalesforceEmulator implements ProviderEmulator {
  static final String VERSION = "v59.0";
  /** Fixed so a seed always gives the same dataset; later writes use the wall clock. */
  static final Instant SEED_EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  private final int pageSize;
  private final AtomicLong cursorIds = new AtomicLong();
  private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

  /** A query's result set, fixed when it ran, and the fields each page projects. */
  private record Cursor(Soql soql, RecordView rows) {}
  private final BulkQueryJobs bulk = new BulkQueryJobs();

  public SalesforceEmulator(int pageSize) {
    this.pageSize = pageSize;
  }

  @Override
  public String provider() {
    return "salesforce";
  }

  @Override
  public List<String> objects() {
    return List.copyOf(SalesforceObjects.ALL.keySet());
  }

  @Override
  public void seed(Tenant tenant, long seed, int recordsPerObject) {
    for (SObject o : SalesforceObjects.ALL.values()) {
      RecordSeeds seeds = new RecordSeeds(seed, o.name(), SEED_EPOCH, ChronoUnit.SECONDS, recordsPerObject);
      LongPredicate deleted = n -> o.hasIsDeleted() && seeds.oneIn(n, 25);
      tenant.addTable(ObjectTable.seeded(o.name(), ChronoUnit.SECONDS, SEED_EPOCH, seeds, n -> SalesforceObjects.id(o, n), deleted, n -> {
        Random random = seeds.random(n);
        Instant modified = seeds.modified(n);
        Instant created = modified.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 30)));
        ObjectNode r = SalesforceRecordGenerator.generate(o, n, recordsPerObject, random, created, modified, VERSION);
        if (deleted.test(n)) r.put("IsDeleted", true);
        return r;
      }, r -> r.path("IsDeleted").asBoolean(false)));
    }
  }

  @Override
  public EndpointKind kind(ApiRequest req) {
    String[] s = req.segments();
    if (s.length < 4) return EndpointKind.METADATA;
    return switch (s[3]) {
      case "query", "queryAll" -> EndpointKind.QUERY;
      case "jobs" -> EndpointKind.BULK;
      case "sobjects" -> !req.is("GET") ? EndpointKind.WRITE : s.length == 6 && !s[5].equals("describe") ? EndpointKind.RECORD : EndpointKind.METADATA;
      default -> EndpointKind.METADATA;
    };
  }

  @Override
  public RateLimiter rateLimiter(RateLimits limits) {
    return limits.enforced() ? new SalesforceRateLimiter(limits) : RateLimiter.NONE;
  }

  @Override
  public ApiResponse handle(Tenant tenant, ApiRequest req) {
    String[] s = req.segments();
    if (s.length < 4 || !s[0].equals("services") || !s[1].equals("data") || !s[2].matches("v\\d+\\.\\d")) throw notFound(req.path());
    try {
      return switch (s[3]) {
        case "sobjects" -> sobjects(tenant, req, s);
        case "query", "queryAll" -> s.length == 5 ? nextPage(s[4]) : query(tenant, req.query().get("q"), s[3].equals("queryAll"));
        case "jobs" -> bulk.handle(tenant, req, s);
        default -> throw notFound(req.path());
      };
    } catch (Soql.Malformed e) {
      throw new ApiError(ApiResponse.json(400, error(e.errorCode, e.getMessage())));
    }
  }

  private ApiResponse sobjects(Tenant tenant, ApiRequest req, String[] s) {
    SObject o = s.length > 4 ? SalesforceObjects.require(s[4]) : null;
    if (o == null) throw notFound(req.path());
    if (s.length == 6 && s[5].equals("describe") && req.is("GET")) return ApiResponse.json(200, SalesforceObjects.describe(o, s[2]));
    if (s.length == 5 && req.is("POST")) {
      ObjectNode created = create(tenant, o.name(), (ObjectNode) Json.parse(req.body()));
      return ApiResponse.json(201, Json.object().put("id", created.get("Id").asText()).put("success", true).set("errors", Json.array()));
    }
    if (s.length != 6) throw notFound(req.path());
    String id = s[5];
    if (req.is("GET")) {
      ObjectNode r = tenant.table(o.name()).get(id);
      if (r == null || isDeleted(o.name(), r)) throw notFound(req.path());
      return ApiResponse.json(200, r);
    }
    if (req.is("PATCH")) {
      if (update(tenant, o.name(), id, (ObjectNode) Json.parse(req.body())) == null) throw notFound(req.path());
      return ApiResponse.noContent();
    }
    if (req.is("DELETE")) {
      if (!o.hasIsDeleted()) throw new ApiError(ApiResponse.json(400, error("DELETE_FAILED", o.name() + " records cannot be deleted")));
      if (!delete(tenant, o.name(), id)) throw notFound(req.path());
      return ApiResponse.noContent();
    }
    throw new ApiError(ApiResponse.json(405, error("METHOD_NOT_ALLOWED", req.method() + " not allowed")));
  }

  /** Runs the SOQL over a snapshot and keeps the rows beyond the first page behind a cursor. */
  private ApiResponse query(Tenant tenant, String q, boolean all) {
    Soql soql = Soql.parse(q);
    tenant.requested(soql.object().name(), soql.fields().stream().map(Field::name).toList());
    String cursor = String.format(Locale.ROOT, "01gSB%010dAAA", cursorIds.incrementAndGet());
    cursors.put(cursor, new Cursor(soql, select(tenant, soql, all)));
    return page(cursor, 0);
  }

  static RecordView select(Tenant tenant, Soql soql, boolean all) {
    return SoqlReads.run(tenant.table(soql.object().name()), soql, all);
  }

  private ApiResponse nextPage(String locator) {
    int dash = locator.lastIndexOf('-');
    if (dash < 0 || !cursors.containsKey(locator.substring(0, dash))) {
      throw new ApiError(ApiResponse.json(400, error("INVALID_QUERY_LOCATOR", "invalid query locator")));
    }
    return page(locator.substring(0, dash), Integer.parseInt(locator.substring(dash + 1)));
  }

  private ApiResponse page(String id, int offset) {
    Cursor cursor = cursors.get(id);
    int total = cursor.rows().size();
    int end = Math.min(total, offset + pageSize);
    boolean done = end >= total;
    ObjectNode body = Json.object().put("totalSize", total).put("done", done);
    if (!done) body.put("nextRecordsUrl", "/services/data/" + VERSION + "/query/" + id + "-" + end);
    ArrayNode records = body.putArray("records");
    for (ObjectNode r : cursor.rows().page(offset, end - offset)) records.add(project(r, cursor.soql().fields(), cursor.soql().object()));
    if (done) cursors.remove(id); // the real API also lets a finished cursor go
    return ApiResponse.json(200, body);
  }

  /** The selected fields in SELECT order; a compound field is assembled from its components. */
  static ObjectNode project(ObjectNode r, List<Field> fields, SObject o) {
    ObjectNode out = Json.object();
    out.set("attributes", r.get("attributes"));
    for (Field f : fields) {
      if (f.type().equals("address")) {
        String p = f.name().replace("Address", "");
        ObjectNode a = out.putObject(f.name());
        for (String part : List.of("Street", "City", "State", "PostalCode", "Country")) a.set(Character.toLowerCase(part.charAt(0)) + part.substring(1), r.get(p + part));
        a.putNull("geocodeAccuracy").putNull("latitude").putNull("longitude");
      } else {
        JsonNode v = r.get(f.name());
        out.set(f.name(), v == null ? Json.MAPPER.nullNode() : v);
      }
    }
    return out;
  }

  @Override
  public ObjectNode create(Tenant tenant, String object, ObjectNode fields) {
    SObject o = requireObject(object);
    int users = Math.max(1, tenant.table("User").size());
    return tenant.table(o.name()).insert((n, now) -> {
      ObjectNode r = SalesforceRecordGenerator.generate(o, n, users, new Random(n), now, now, VERSION);
      if (fields != null) applyFields(o, r, fields);
      return r;
    });
  }

  @Override
  public ObjectNode firstNameChange(String firstName) {
    return Json.MAPPER.createObjectNode().put("FirstName", firstName);
  }

  @Override
  public ObjectNode update(Tenant tenant, String object, String id, ObjectNode fields) {
    SObject o = requireObject(object);
    ObjectNode current = tenant.table(o.name()).get(id);
    if (current == null || isDeleted(object, current)) return null;
    if (fields != null) applyFields(o, current.deepCopy(), fields); // validate before the write
    return tenant.table(o.name()).modify(id, (r, t) -> {
      if (fields != null) applyFields(o, r, fields);
      SalesforceRecordGenerator.stamp(r, t);
    });
  }

  @Override
  public boolean delete(Tenant tenant, String object, String id) {
    ObjectNode current = tenant.table(object).get(id);
    if (current == null || isDeleted(object, current) || !requireObject(object).hasIsDeleted()) return false;
    tenant.table(object).modify(id, (r, t) -> {
      r.put("IsDeleted", true);
      SalesforceRecordGenerator.stamp(r, t);
    });
    return true;
  }

  @Override
  public boolean isDeleted(String object, JsonNode record) {
    return record.path("IsDeleted").asBoolean(false);
  }

  @Override
  public String id(JsonNode record) {
    return record.get("Id").asText();
  }

  private static void applyFields(SObject o, ObjectNode r, ObjectNode fields) {
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("attributes")) continue;
      Field f = o.field(e.getKey());
      if (f == null || f.systemManaged()) {
        throw new ApiError(ApiResponse.json(400, error("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + e.getKey())));
      }
      r.set(f.name(), e.getValue());
    }
  }

  private static SObject requireObject(String object) {
    SObject o = SalesforceObjects.require(object);
    if (o == null) throw new IllegalArgumentException("no sObject " + object + " in the sandbox");
    return o;
  }

  @Override
  public JsonNode errorBody(int status, String message) {
    String code = switch (status) {
      case 401 -> "INVALID_SESSION_ID";
      case 429 -> "REQUEST_LIMIT_EXCEEDED";
      case 404 -> "NOT_FOUND";
      default -> "UNKNOWN_EXCEPTION";
    };
    return error(code, status == 401 ? "Session expired or invalid" : message);
  }

  static ArrayNode error(String code, String message) {
    ArrayNode a = Json.array();
    a.addObject().put("message", message).put("errorCode", code);
    return a;
  }

  static ApiError notFound(String path) {
    return new ApiError(ApiResponse.json(404, error("NOT_FOUND", "The requested resource does not exist: " + path)));
  }

  @Override
  public void completeTokenResponse(Tenant tenant, ObjectNode response) {
    response.put("instance_url", tenant.baseUrl()).put("issued_at", String.valueOf(System.currentTimeMillis()));
  }
}
