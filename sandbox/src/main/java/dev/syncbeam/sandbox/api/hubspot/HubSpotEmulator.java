package dev.syncbeam.sandbox.api.hubspot;

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
import dev.syncbeam.sandbox.api.hubspot.HubSpotSchema.ObjectType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * HubSpot CRM v3: object lists (cursor paging, archived, properties, associations), search (GTE
 * filters, sorting, total, the 10,000-result cap), properties, owners, deal pipelines, schemas,
 * and writes (DELETE archives; the sandbox-only POST .../{id}/restore un-archives).
 */
public final class HubSpotEmulator implements ProviderEmulator {
  static final Instant SEED_EPOCH = Instant.parse("2025-01-01T00:00:00Z");
  private final int maxLimit;

  public HubSpotEmulator(int maxLimit) {
    this.maxLimit = maxLimit;
  }

  @Override
  public String provider() {
    return "hubspot";
  }

  @Override
  public List<String> objects() {
    List<String> out = new ArrayList<>(HubSpotSchema.TYPES.keySet());
    out.add("owners");
    return out;
  }

  @Override
  public void seed(Tenant tenant, long seed, int recordsPerObject) {
    RecordSeeds ownerSeeds = new RecordSeeds(seed, "owners", SEED_EPOCH, ChronoUnit.MILLIS, recordsPerObject);
    LongPredicate ownerArchived = n -> ownerSeeds.oneIn(n, 10);
    tenant.addTable(ObjectTable.seeded("owners", ChronoUnit.MILLIS, SEED_EPOCH, ownerSeeds, n -> String.valueOf(HubSpotRecordGenerator.owners(n)),
        ownerArchived, n -> {
          Instant t = ownerSeeds.modified(n);
          return HubSpotRecordGenerator.owner(n, ownerArchived.test(n), t.minusSeconds(86_400), t);
        }, HubSpotEmulator::archived));
    for (ObjectType type : HubSpotSchema.TYPES.values()) {
      RecordSeeds seeds = new RecordSeeds(seed, type.name(), SEED_EPOCH, ChronoUnit.MILLIS, recordsPerObject);
      LongPredicate archived = n -> seeds.oneIn(n, 25);
      tenant.addTable(ObjectTable.seeded(type.name(), ChronoUnit.MILLIS, SEED_EPOCH, seeds, n -> HubSpotRecordGenerator.id(type, n), archived, n -> {
        Random random = seeds.random(n);
        Instant modified = seeds.modified(n);
        Instant created = modified.minusSeconds(random.nextInt(86_400 * 30));
        ObjectNode r = HubSpotRecordGenerator.generate(type, n, recordsPerObject, random, created, modified);
        if (archived.test(n)) r.put("archived", true).put("archivedAt", WireTimestamps.isoMillis(modified));
        return r;
      }, HubSpotEmulator::archived));
    }
    tenant.putReference("pipelines/deals", HubSpotSchema.DEAL_PIPELINES);
  }

  static boolean archived(JsonNode record) {
    return record.path("archived").asBoolean(false);
  }

  @Override
  public EndpointKind kind(ApiRequest req) {
    String[] s = req.segments();
    if (s.length < 3) return EndpointKind.METADATA;
    if (s[2].equals("owners")) return s.length == 4 ? EndpointKind.RECORD : EndpointKind.LIST;
    if (s[2].equals("associations")) return EndpointKind.ASSOCIATIONS;
    if (!s[2].equals("objects")) return EndpointKind.METADATA;
    if (s.length == 5 && s[4].equals("search")) return EndpointKind.SEARCH;
    if (!req.is("GET")) return EndpointKind.WRITE;
    return s.length == 4 ? EndpointKind.LIST : EndpointKind.RECORD;
  }

  @Override
  public RateLimiter rateLimiter(RateLimits limits) {
    return limits.enforced() ? new HubSpotRateLimiter(limits) : RateLimiter.NONE;
  }

  @Override
  public ApiResponse handle(Tenant tenant, ApiRequest req) {
    String[] s = req.segments();
    if (s.length == 9 && s[0].equals("crm") && s[1].equals("v4") && s[2].equals("objects") && s[5].equals("associations") && req.is("PUT")) {
      return associate(tenant, s);
    }
    if (s.length < 3 || !s[0].equals("crm") || !s[1].equals("v3")) throw notFound("no such endpoint " + req.path());
    if (s[2].equals("owners") && s.length == 4 && req.is("GET")) {
      // GET /crm/v3/owners/{ownerId}: archived owners only with archived=true, as listed
      ObjectNode owner = tenant.table("owners").get(s[3]);
      if (owner == null || archived(owner) != Boolean.parseBoolean(req.param("archived", "false"))) throw notFound("Owner not found");
      return ApiResponse.json(200, owner);
    }
    if (s[2].equals("owners") && req.is("GET")) return list(tenant.table("owners"), req, null, tenant);
    if (s[2].equals("schemas") && req.is("GET")) return ApiResponse.json(200, Json.object().set("results", Json.array()));
    if (s[2].equals("pipelines") && s.length == 4 && s[3].equals("deals") && req.is("GET")) {
      return ApiResponse.json(200, tenant.reference("pipelines/deals"));
    }
    if (s[2].equals("associations") && s.length == 7 && s[5].equals("batch") && s[6].equals("read") && req.is("POST")) {
      return associations(tenant, s[3], s[4], Json.parse(req.body()));
    }
    ObjectType type = s.length > 3 ? HubSpotSchema.TYPES.get(s[3]) : null;
    if (type == null) throw notFound("no such object type in " + req.path());
    if (s[2].equals("properties") && s.length == 4) return ApiResponse.json(200, HubSpotSchema.properties(type));
    if (!s[2].equals("objects")) throw notFound("no such endpoint " + req.path());
    if (s.length == 4 && req.is("GET")) return list(tenant.table(type.name()), req, type, tenant);
    if (s.length == 4 && req.is("POST")) return ApiResponse.json(201, visible(create(tenant, type.name(), (ObjectNode) Json.parse(req.body())), type, null, true));
    if (s.length == 5 && s[4].equals("search") && req.is("POST")) return HubSpotSearch.run(tenant, type, Json.parse(req.body()), maxLimit);
    if (s.length == 6 && s[5].equals("restore") && req.is("POST")) return ApiResponse.json(200, visible(restore(tenant, type, s[4]), type, null, true));
    if (s.length != 5) throw notFound("no such endpoint " + req.path());
    String id = s[4];
    if (req.is("GET")) {
      ObjectNode r = tenant.table(type.name()).get(id);
      if (r == null || r.get("archived").asBoolean() != Boolean.parseBoolean(req.param("archived", "false"))) throw notFound("Object not found.  objectId are usually numeric.");
      return ApiResponse.json(200, visible(r, type, propertyList(req), req.param("associations", "").contains("companies")));
    }
    if (req.is("PATCH")) {
      ObjectNode r = update(tenant, type.name(), id, (ObjectNode) Json.parse(req.body()));
      if (r == null) throw notFound("resource not found");
      return ApiResponse.json(200, visible(r, type, null, false));
    }
    if (req.is("DELETE")) {
      delete(tenant, type.name(), id); // HubSpot answers 204 whether or not the record existed
      return ApiResponse.noContent();
    }
    throw notFound("no such endpoint " + req.path());
  }

  /**
   * {@code POST /crm/v3/associations/{from}/companies/batch/read} {@code {"inputs":[{"id":..}]}}: the
   * company associations of the given records (search results carry none, so incremental readers ask here).
   * Inputs without associations are left out of the results, as HubSpot does.
   */
  private ApiResponse associations(Tenant tenant, String fromType, String toType, JsonNode request) {
    ObjectType from = HubSpotSchema.TYPES.get(fromType);
    if (from == null || !toType.equals("companies")) throw notFound("no associations from " + fromType + " to " + toType);
    ObjectNode body = Json.object().put("status", "COMPLETE");
    ArrayNode results = body.putArray("results");
    for (JsonNode input : request.path("inputs")) {
      ObjectNode r = tenant.table(from.name()).get(input.path("id").asText());
      JsonNode to = r == null ? null : r.path("associations").path("companies").path("results");
      if (to == null || to.isMissingNode() || to.isEmpty()) continue;
      ObjectNode result = results.addObject();
      result.putObject("from").put("id", r.get("id").asText());
      result.set("to", to.deepCopy());
    }
    return ApiResponse.json(200, body);
  }

  /** GET list: ids ascending, {@code after} is the first id of the next page; archived=true lists only archived records. */
  private ApiResponse list(ObjectTable table, ApiRequest req, ObjectType type, Tenant tenant) {
    int limit = Math.max(1, Math.min(req.intParam("limit", 10), maxLimit));
    boolean archived = Boolean.parseBoolean(req.param("archived", "false"));
    String after = req.param("after", null);
    long from = after == null ? 1 : table.firstSeededWhere(n -> ObjectTable.ID_ORDER.compare(table.seededId(n), after) >= 0);
    RecordView view = table.inIdOrder(from, Long.MAX_VALUE, archived ? Deletion.DELETED : Deletion.LIVE,
        r -> after == null || ObjectTable.ID_ORDER.compare(r.get("id").asText(), after) >= 0);
    List<ObjectNode> rows = view.page(0, limit + 1);
    ObjectNode body = Json.object();
    ArrayNode results = body.putArray("results");
    List<String> props = propertyList(req);
    if (type != null) tenant.requested(type.name(), props == null ? type.defaultProperties() : props);
    boolean assoc = Arrays.asList(req.param("associations", "").split(",")).contains("companies");
    for (ObjectNode r : rows.subList(0, Math.min(limit, rows.size()))) results.add(type == null ? r : visible(r, type, props, assoc));
    if (rows.size() > limit) {
      String next = rows.get(limit).get("id").asText();
      StringBuilder link = new StringBuilder(tenant.baseUrl()).append(req.path()).append("?limit=").append(limit).append("&after=").append(next);
      req.query().forEach((k, v) -> {
        if (!k.equals("limit") && !k.equals("after") && !k.equals("api_token")) link.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      });
      body.putObject("paging").putObject("next").put("after", next).put("link", link.toString());
    }
    return ApiResponse.json(200, body);
  }

  private static List<String> propertyList(ApiRequest req) {
    String p = req.param("properties", null);
    return p == null ? null : Arrays.stream(p.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /**
   * The record as the API returns it: the requested properties (null when unset; unknown names
   * dropped) plus the ones HubSpot always includes, or the type's defaults; associations on request.
   */
  static ObjectNode visible(ObjectNode stored, ObjectType type, List<String> requested, boolean withAssociations) {
    ObjectNode out = stored.deepCopy();
    ObjectNode all = (ObjectNode) stored.get("properties");
    ObjectNode props = out.putObject("properties");
    List<String> names = new ArrayList<>(requested == null ? type.defaultProperties() : requested);
    if (requested != null) names.addAll(List.of("createdate", type.modifiedProperty(), "hs_object_id"));
    for (String name : names) {
      if (type.properties().containsKey(name) && !props.has(name)) props.set(name, all.has(name) ? all.get(name) : Json.MAPPER.nullNode());
    }
    if (!withAssociations) out.remove("associations");
    // key order like the API: id, properties, createdAt, updatedAt, archived, archivedAt?, url, associations?
    ObjectNode ordered = Json.object();
    for (String k : List.of("id", "properties", "createdAt", "updatedAt", "archived", "archivedAt", "url", "associations")) {
      if (out.has(k)) ordered.set(k, out.get(k));
    }
    return ordered;
  }

  @Override
  public ObjectNode create(Tenant tenant, String object, ObjectNode body) {
    ObjectType type = requireType(object);
    int companies = Math.max(1, tenant.table("companies").size());
    return tenant.table(type.name()).insert((n, now) -> {
      ObjectNode r = HubSpotRecordGenerator.generate(type, n, companies, new Random(n), now, now);
      if (body != null) {
        setProperties(type, r, body.path("properties"));
        r.remove("associations"); // a record made through the API has only the associations it was created with
        for (JsonNode a : body.path("associations")) addCompany(type, r, a.path("to").path("id").asText());
      }
      return r;
    });
  }

  /** Associates the record with a company (v3 create associations, v4 PUT), the way reads show it: {@code associations.companies.results}. */
  private static void addCompany(ObjectType type, ObjectNode r, String companyId) {
    if (type.name().equals("companies") || companyId.isEmpty()) return;
    ObjectNode companies = r.with("associations").with("companies");
    ArrayNode results = companies.has("results") ? (ArrayNode) companies.get("results") : companies.putArray("results");
    for (JsonNode existing : results) if (existing.path("id").asText().equals(companyId)) return;
    results.addObject().put("id", companyId).put("type", type.name().equals("contacts") ? "contact_to_company" : "deal_to_company");
  }

  /** {@code PUT /crm/v4/objects/{type}/{id}/associations/default/companies/{companyId}}: the default association. */
  private ApiResponse associate(Tenant tenant, String[] s) {
    ObjectType type = HubSpotSchema.TYPES.get(s[3]);
    if (type == null || type.name().equals("companies") || !s[6].equals("default") || !s[7].equals("companies")) {
      throw notFound("no such association endpoint");
    }
    if (tenant.table("companies").get(s[8]) == null) throw notFound("Object not found.  objectId are usually numeric.");
    ObjectNode r = tenant.table(type.name()).modify(s[4], (rec, t) -> {
      addCompany(type, rec, s[8]);
      HubSpotRecordGenerator.stamp(type, rec, t);
    });
    if (r == null) throw notFound("Object not found.  objectId are usually numeric.");
    ObjectNode body = Json.object().put("fromObjectTypeId", type.typeId()).put("fromObjectId", s[4]).put("toObjectTypeId", "0-2")
        .put("toObjectId", s[8]);
    return ApiResponse.json(200, Json.object().put("status", "COMPLETE").set("results", Json.array().add(body)));
  }

  @Override
  public ObjectNode firstNameChange(String firstName) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("properties").put("firstname", firstName);
    return body;
  }

  @Override
  public ObjectNode update(Tenant tenant, String object, String id, ObjectNode body) {
    ObjectType type = requireType(object);
    ObjectNode current = tenant.table(type.name()).get(id);
    if (current == null || current.get("archived").asBoolean()) return null;
    if (body != null) setProperties(type, current, body.path("properties")); // validates before the write
    return tenant.table(type.name()).modify(id, (r, t) -> {
      if (body != null) setProperties(type, r, body.path("properties"));
      HubSpotRecordGenerator.stamp(type, r, t);
    });
  }

  @Override
  public boolean delete(Tenant tenant, String object, String id) {
    ObjectType type = requireType(object);
    ObjectNode current = tenant.table(type.name()).get(id);
    if (current == null || current.get("archived").asBoolean()) return false;
    tenant.table(type.name()).modify(id, (r, t) -> {
      r.put("archived", true).put("archivedAt", WireTimestamps.isoMillis(t));
      HubSpotRecordGenerator.stamp(type, r, t);
    });
    return true;
  }

  private static ObjectNode restore(Tenant tenant, ObjectType type, String id) {
    ObjectNode current = tenant.table(type.name()).get(id);
    if (current == null || !current.get("archived").asBoolean()) throw notFound("no archived " + type.name() + " " + id);
    return tenant.table(type.name()).modify(id, (r, t) -> {
      r.put("archived", false).remove("archivedAt");
      HubSpotRecordGenerator.stamp(type, r, t);
    });
  }

  private static void setProperties(ObjectType type, ObjectNode r, JsonNode properties) {
    ObjectNode p = (ObjectNode) r.get("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!type.properties().containsKey(e.getKey()) || e.getKey().equals("hs_object_id") || e.getKey().equals(type.modifiedProperty())) {
        throw new ApiError(ApiResponse.json(400, error("VALIDATION_ERROR", "Property values were not valid: " + e.getKey())));
      }
      if (e.getValue().isNull()) p.putNull(e.getKey());
      else p.put(e.getKey(), e.getValue().asText()); // HubSpot keeps every property value as a string
    }
  }

  private static ObjectType requireType(String object) {
    ObjectType type = HubSpotSchema.TYPES.get(object);
    if (type == null) throw new IllegalArgumentException("no HubSpot object type " + object + " in the sandbox (owners are read-only)");
    return type;
  }

  @Override
  public boolean isDeleted(String object, JsonNode record) {
    return record.path("archived").asBoolean(false);
  }

  @Override
  public String id(JsonNode record) {
    return record.get("id").asText();
  }

  @Override
  public JsonNode errorBody(int status, String message) {
    return switch (status) {
      case 401 -> error("INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication.");
      case 429 -> error("RATE_LIMITS", "You have reached your secondly limit.").put("errorType", "RATE_LIMIT").put("policyName", "SECONDLY");
      default -> error(status == 404 ? "OBJECT_NOT_FOUND" : "INTERNAL_ERROR", message);
    };
  }

  static ObjectNode error(String category, String message) {
    return Json.object().put("status", "error").put("message", message).put("correlationId", UUID.randomUUID().toString()).put("category", category);
  }

  static ApiError notFound(String message) {
    return new ApiError(ApiResponse.json(404, error("OBJECT_NOT_FOUND", message)));
  }
}
