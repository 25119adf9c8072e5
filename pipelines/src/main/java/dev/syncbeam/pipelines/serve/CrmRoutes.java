package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import dev.syncbeam.schemas.unified.UnifiedRows;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.CommonObjectMapping;
import dev.syncbeam.transforms.providers.CommonObjectWrites;
import dev.syncbeam.transforms.providers.FieldReader;
import dev.syncbeam.transforms.providers.ProviderDescriptor;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Supaglue's {@code /crm/v2} actions: for common objects create, update and upsert at the provider
 * (then the cache refresh), search and read live, list from the destination's crm_* table or live;
 * the standard- and custom-object record routes are {@link ObjectRecords}. DELETE was never offered
 * for CRMs by Supaglue either: 501.
 */
public final class CrmRoutes implements Routes {
  static final Set<String> COMMON_OBJECTS = Set.of("accounts", "contacts", "leads", "opportunities");
  private final SyncbeamConfig cfg;
  private final ProviderClients clients;
  private final MappingLookups lookups = new MappingLookups();
  private final CacheRefresh refresh;
  private final CachedRecords cached;
  private final ObjectRecords records;

  public CrmRoutes(SyncbeamConfig cfg, PostgresDestination destination) {
    this.cfg = cfg;
    this.clients = new ProviderClients(cfg.serve().providerTimeout());
    this.refresh = new CacheRefresh(cfg, destination, lookups);
    this.cached = new CachedRecords(destination, cfg.applicationId());
    this.records = new ObjectRecords(cfg, clients, refresh, cached);
  }

  @Override
  public void register(RouteRegistry routes) {
    routes.post("/crm/v2/{object}", this::create);
    routes.patch("/crm/v2/{object}/{id}", this::update);
    routes.get("/crm/v2/{object}/{id}", this::getOne);
    routes.post("/crm/v2/{object}/_upsert", this::upsert);
    routes.post("/crm/v2/{object}/_search", this::search);
    routes.get("/crm/v2/{object}", this::list);
    routes.delete("/crm/v2/{object}/{id}", ctx -> {
      CrmConnection.of(ctx, cfg);
      writable(ctx);
      throw notImplemented(ctx);
    });
    records.register(routes);
  }

  @Override
  public void close() {
    refresh.close();
  }

  /** 201 {"record":{"id"}}: the provider has the record; warnings say what was ignored or not cached. */
  private void create(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = writable(ctx);
    WriteRequest request = WriteRequest.parse(ctx, object, c.provider());
    refuseUnwritable(c, object);
    String id = ProviderFailures.call(() -> Providers.get(c.provider()).writes().create(object, request.record(), clients.writes(c)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("record", Map.of("id", id));
    written(ctx, 201, body, c, object, id, request);
  }

  /** 200 {}: the same fields a create sends, to the record's id. */
  private void update(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = writable(ctx);
    String id = ctx.pathParam("id");
    WriteRequest request = WriteRequest.parse(ctx, object, c.provider());
    refuseUnwritable(c, object);
    ProviderFailures.call(() -> {
      Providers.get(c.provider()).writes().update(object, id, request.record(), clients.writes(c));
      return null;
    });
    written(ctx, 200, new LinkedHashMap<>(), c, object, id, request);
  }

  /** After the provider accepted a write: the cache refresh, then the answer with every warning there is. */
  private void written(Context ctx, int status, Map<String, Object> body, CrmConnection c, CommonObject object, String id,
      WriteRequest request) {
    List<Warning> warnings = new ArrayList<>(request.warnings());
    refresh.after(c, Providers.get(c.provider()).commonObjects().providerObject(object), id, clients.reads(c)).ifPresent(warnings::add);
    if (!warnings.isEmpty()) body.put("warnings", warnings);
    ctx.status(status).json(body);
  }

  /**
   * {@code {"record":{...},"upsert_on":{"key":"email","values":[...]}}}: the provider's search finds
   * the record by the key; none → create (201), one → update (200), more → 400. Either way the
   * answer is {@code {"record":{"id"}}} and the cache is refreshed.
   */
  private void upsert(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = writable(ctx);
    JsonNode body = WriteRequest.body(ctx);
    WriteRequest.onlyKeys(body, Set.of("record", "upsert_on"));
    WriteRequest request = WriteRequest.of(body, object, c.provider());
    refuseUnwritable(c, object);
    JsonNode on = body.path("upsert_on");
    if (!on.isObject()) throw ServeError.validation("upsert_on: required, {\"key\": ..., \"values\": [...]}");
    String key = matchKey(c, object, on.path("key"), "upsert_on.key");
    JsonNode values = on.path("values");
    if (!values.isArray() || values.isEmpty()) throw ServeError.validation("upsert_on.values: must be a non-empty list of strings");
    Set<String> found = new LinkedHashSet<>();
    for (JsonNode v : values) {
      if (!v.isTextual()) throw ServeError.validation("upsert_on.values: must be a non-empty list of strings");
      found.addAll(ProviderFailures.call(() -> Providers.get(c.provider()).writes().find(object, key, v.asText(), clients.reads(c))));
    }
    if (found.size() > 1) {
      throw ServeError.badRequest("more than one " + object.value() + " record matches " + key + " " + values + ": " + found);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    if (found.isEmpty()) {
      String id = ProviderFailures.call(() -> Providers.get(c.provider()).writes().create(object, request.record(), clients.writes(c)));
      answer.put("record", Map.of("id", id));
      written(ctx, 201, answer, c, object, id, request);
      return;
    }
    String id = found.iterator().next();
    ProviderFailures.call(() -> {
      Providers.get(c.provider()).writes().update(object, id, request.record(), clients.writes(c));
      return null;
    });
    answer.put("record", Map.of("id", id));
    written(ctx, 200, answer, c, object, id, request);
  }

  /** {@code {"filter":{"email":"..."}}}: live records found by the provider's search, unified. */
  private void search(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = readable(ctx);
    JsonNode body = WriteRequest.body(ctx);
    WriteRequest.onlyKeys(body, Set.of("filter"));
    JsonNode filter = body.path("filter");
    if (!filter.isObject() || filter.size() != 1) throw ServeError.validation("filter: must be an object with one key, e.g. {\"email\": ...}");
    String key = filter.fieldNames().next();
    matchKey(c, object, Json.MAPPER.getNodeFactory().textNode(key), "filter." + key);
    JsonNode value = filter.get(key);
    if (!value.isTextual()) throw ServeError.validation("filter." + key + ": must be a string");
    List<String> ids = ProviderFailures.call(() -> Providers.get(c.provider()).writes().find(object, key, value.asText(), clients.reads(c)));
    List<ObjectNode> records = new ArrayList<>();
    for (String id : ids) records.add(live(c, object, id, includeRawData(ctx)));
    ctx.json(ListQuery.answer(records, null));
  }

  /** A key the provider can find records of the object by, else 400 naming what it can. */
  private static String matchKey(CrmConnection c, CommonObject object, JsonNode key, String at) {
    Set<String> keys = Providers.get(c.provider()).writes().matchKeys(object);
    if (keys.isEmpty()) throw ServeError.badRequest(c.provider() + " " + object.value() + " cannot be searched");
    if (!key.isTextual() || !keys.contains(key.asText())) {
      throw ServeError.validation(at + ": must be one of " + String.join(", ", keys.stream().sorted().toList()));
    }
    return key.asText();
  }

  /** One record read live from the provider, mapped as the sync maps it; {@code include_raw_data} adds the provider record. */
  private void getOne(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = readable(ctx);
    ctx.json(live(c, object, ctx.pathParam("id"), includeRawData(ctx)));
  }

  private ObjectNode live(CrmConnection c, CommonObject object, String id, boolean withRawData) {
    ProviderDescriptor provider = Providers.get(c.provider());
    String providerObject = providerObject(c, object);
    ApiClient reads = clients.reads(c);
    JsonNode record = ProviderFailures.call(() -> provider.writes().readRecord(providerObject, id, reads));
    return unified(c, object, record, ProviderFailures.call(() -> lookups.of(c, providerObject, object, reads)), withRawData);
  }

  private static String providerObject(CrmConnection c, CommonObject object) {
    String providerObject = Providers.get(c.provider()).commonObjects().providerObject(object);
    if (providerObject == null) throw ServeError.badRequest(c.provider() + " has no " + object.value());
    return providerObject;
  }

  /** A provider record as the sync maps it, with the record itself as {@code raw_data} on request. */
  private static ObjectNode unified(CrmConnection c, CommonObject object, JsonNode record, CommonLookups labels, boolean withRawData) {
    ProviderDescriptor provider = Providers.get(c.provider());
    String recordId = provider.records().id(record);
    if (recordId == null) throw ServeError.remote(0, c.provider() + " answered with a record that has no id");
    UnifiedRecord unified = provider.commonObjects().map(object,
        new CommonObjectMapping.Input(record, recordId, provider.records().lastModified(record), labels, new FieldReader()));
    ObjectNode out = UnifiedRows.unifiedData(unified);
    if (withRawData) out.set("raw_data", record);
    return out;
  }


  /** A page of records from crm_* (read_from_cache=true), in id order; else one page live from the provider. */
  private void list(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    CommonObject object = readable(ctx);
    ListQuery q = ListQuery.of(ctx);
    if (q.fromCache()) {
      CachedRecords.Page page = cached.page(c, object, q.modifiedAfter(), q.cursor(), q.pageSize(), includeRawData(ctx));
      ctx.json(ListQuery.answer(page.records(), page.next()));
      return;
    }
    String providerObject = providerObject(c, object);
    ApiClient reads = clients.reads(c);
    CommonObjectWrites.LivePage page = ProviderFailures.call(() -> Providers.get(c.provider()).writes()
        .listPage(providerObject, q.liveCursor(), q.pageSize(), reads));
    CommonLookups labels = ProviderFailures.call(() -> lookups.of(c, providerObject, object, reads));
    List<ObjectNode> records = new ArrayList<>();
    for (JsonNode r : page.records()) records.add(unified(c, object, r, labels, includeRawData(ctx)));
    ctx.json(ListQuery.answer(records, ListQuery.live(page.next())));
  }

  private static boolean includeRawData(Context ctx) {
    return "true".equals(ctx.queryParam("include_raw_data"));
  }

  /** The common object a create, update or delete names: 404 for none; users are read-only (400). */
  private static CommonObject writable(Context ctx) {
    CommonObject object = readable(ctx);
    if (!COMMON_OBJECTS.contains(object.value())) throw ServeError.badRequest(object.value() + " are read-only");
    return object;
  }

  private static CommonObject readable(Context ctx) {
    return CommonObject.find(ctx.pathParam("object")).orElseThrow(() -> ServeError.notFound("unknown common object '"
        + ctx.pathParam("object") + "' (accounts, contacts, leads, opportunities, users)"));
  }

  /** A common object the provider has no write for (HubSpot leads) is refused before anything is sent. */
  private static void refuseUnwritable(CrmConnection c, CommonObject object) {
    if (Providers.get(c.provider()).writes().writableFields(object).isEmpty()) {
      throw ServeError.badRequest(c.provider() + " does not support writing " + object.value());
    }
  }

  private static ServeError notImplemented(Context ctx) {
    return ServeError.of(ErrorCode.NOT_IMPLEMENTED_ERROR, "deleting " + ctx.pathParam("object") + " records is not supported");
  }
}
