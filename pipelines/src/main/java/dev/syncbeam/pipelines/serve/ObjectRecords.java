package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.transforms.providers.CommonObjectWrites;
import dev.syncbeam.transforms.providers.Providers;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Supaglue's standard- and custom-object record actions: {@code record} holds the provider's own
 * field names and goes to the provider as given; the cache refresh lands the record in the raw
 * table its sync writes ({@code {provider}_{object}} or {@code custom_objects}), and in crm_* too
 * when that sync also fills a common object.
 */
final class ObjectRecords {
  /** Which of Supaglue's two route families; the name the answers carry the object under. */
  enum Family {
    STANDARD("standard_objects", "standard_object_name"),
    CUSTOM("custom_objects", "custom_object_name");

    final String path;
    final String nameField;

    Family(String path, String nameField) {
      this.path = path;
      this.nameField = nameField;
    }
  }

  private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private final SyncbeamConfig cfg;
  private final ProviderClients clients;
  private final CacheRefresh refresh;
  private final CachedRecords cached;

  ObjectRecords(SyncbeamConfig cfg, ProviderClients clients, CacheRefresh refresh, CachedRecords cached) {
    this.cfg = cfg;
    this.clients = clients;
    this.refresh = refresh;
    this.cached = cached;
  }

  void register(RouteRegistry routes) {
    for (Family f : Family.values()) {
      String base = "/crm/v2/" + f.path + "/{object}/records";
      routes.post(base, ctx -> create(ctx));
      routes.patch(base + "/{id}", ctx -> update(ctx));
      routes.get(base + "/{id}", ctx -> getOne(ctx, f));
      routes.get(base, ctx -> list(ctx, f));
      routes.delete(base + "/{id}", ctx -> {
        CrmConnection.of(ctx, cfg);
        throw ServeError.of(ErrorCode.NOT_IMPLEMENTED_ERROR, "deleting " + object(ctx) + " records is not supported");
      });
    }
  }

  /** 201 {"record":{"id"}}, then the refresh. */
  private void create(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    String object = object(ctx);
    ObjectNode fields = fields(ctx);
    String id = ProviderFailures.call(() -> Providers.get(c.provider()).writes().createRecord(object, fields, clients.writes(c)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("record", Map.of("id", id));
    refreshed(ctx, 201, body, c, object, id);
  }

  /** 200 {}, then the refresh. */
  private void update(Context ctx) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    String object = object(ctx);
    String id = ctx.pathParam("id");
    ObjectNode fields = fields(ctx);
    ProviderFailures.call(() -> {
      Providers.get(c.provider()).writes().updateRecord(object, id, fields, clients.writes(c));
      return null;
    });
    refreshed(ctx, 200, new LinkedHashMap<>(), c, object, id);
  }

  private void refreshed(Context ctx, int status, Map<String, Object> body, CrmConnection c, String object, String id) {
    refresh.after(c, object, id, clients.reads(c)).ifPresent(w -> body.put("warnings", List.of(w)));
    ctx.status(status).json(body);
  }

  /** The record read live, as its sync reads it: {@code {id, <family>_name, data}}. */
  private void getOne(Context ctx, Family family) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    String object = object(ctx);
    String id = ctx.pathParam("id");
    JsonNode record = ProviderFailures.call(() -> Providers.get(c.provider()).writes().readRecord(object, id, clients.reads(c)));
    ctx.json(record(c, family, object, record));
  }

  private static Map<String, Object> record(CrmConnection c, Family family, String object, JsonNode record) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", Providers.get(c.provider()).records().id(record));
    body.put(family.nameField, object);
    body.put("data", record);
    return body;
  }

  /**
   * The rows the object's sync (or a write through here) stored, in id order (none when no sync of
   * it is configured); without read_from_cache, one page live from the provider.
   */
  private void list(Context ctx, Family family) {
    CrmConnection c = CrmConnection.of(ctx, cfg);
    String object = object(ctx);
    ListQuery q = ListQuery.of(ctx);
    if (!q.fromCache()) {
      CommonObjectWrites.LivePage page = ProviderFailures.call(() -> Providers.get(c.provider()).writes()
          .listPage(object, q.liveCursor(), q.pageSize(), clients.reads(c)));
      List<Map<String, Object>> records = new ArrayList<>();
      for (JsonNode r : page.records()) records.add(record(c, family, object, r));
      ctx.json(ListQuery.answer(records, ListQuery.live(page.next())));
      return;
    }
    SyncDefinition def = refresh.syncOf(c, object).orElse(null);
    if (def == null) {
      ctx.json(ListQuery.answer(List.of(), null));
      return;
    }
    CachedRecords.Page page = cached.page(c, def.custom() ? ObjectTables.customObjects() : ObjectTables.forTableName(def.rawTable()),
        def.customObjectName(), q.modifiedAfter(), q.cursor(), q.pageSize());
    ctx.json(ListQuery.answer(page.records(), page.next()));
  }

  private static String object(Context ctx) {
    String object = ctx.pathParam("object");
    if (!OBJECT_NAME.matcher(object).matches()) throw ServeError.badRequest("'" + object + "' is not an object name");
    return object;
  }

  /** {@code {"record": {...}}}: the provider's own field names, sent as given. */
  private static ObjectNode fields(Context ctx) {
    JsonNode body = WriteRequest.body(ctx);
    WriteRequest.onlyKeys(body, Set.of("record"));
    JsonNode record = body.get("record");
    if (record == null || !record.isObject()) throw ServeError.validation("record: required, an object of the provider's field names");
    return (ObjectNode) record;
  }
}
