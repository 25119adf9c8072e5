package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable;
import dev.syncbeam.schemas.bookkeeping.SyncRunsTable.RunFilter;
import dev.syncbeam.transforms.notify.SyncPausedEvent;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.SyncState;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Supaglue's management API ({@code /mgmt/v2}): the configured syncs with their state, trigger
 * (a run now, in this process; a requested full refresh that meets a running run applies to the
 * next one), pause and resume, and the run history with its filters. Pages are opaque offset cursors.
 */
public final class MgmtRoutes implements Routes {
  private static final int MAX_PAGE = 1000;
  /** Pages of the management API are offsets into the filtered list. */
  private static final String OFFSET_CURSOR = "o:";
  private static final Set<String> SYNC_FILTERS = Set.of("customer_id", "provider_name", "object_type", "object", "page_size", "cursor");
  private static final Set<String> RUN_FILTERS = Set.of("customer_id", "provider_name", "object_type", "object", "status",
      "start_timestamp", "end_timestamp", "page_size", "cursor");
  private static final ObjectReader SELECTOR = Json.MAPPER.readerFor(SyncSelector.class)
      .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final SyncbeamConfig cfg;
  private final List<SyncDefinition> syncs;
  private final PostgresDestination destination;
  private final RunLedger ledger;
  private final SyncTrigger trigger;

  public MgmtRoutes(SyncbeamConfig cfg, PostgresDestination destination, SyncTrigger trigger) {
    this.cfg = cfg;
    this.syncs = SyncDefinition.expand(cfg, List.of());
    this.destination = destination;
    this.ledger = RunLedger.of(destination);
    this.trigger = trigger;
  }

  /** What trigger, pause and resume name in their body; the connection comes from the headers. */
  record SyncSelector(@JsonProperty("object_type") String objectType, @JsonProperty("object") String object,
      @JsonProperty("perform_full_refresh") Boolean performFullRefresh) {}

  @Override
  public void register(RouteRegistry routes) {
    routes.get("/mgmt/v2/syncs", this::listSyncs);
    routes.post("/mgmt/v2/syncs/_trigger", ctx -> {
      SyncSelector body = body(ctx, true);
      SyncDefinition def = selected(ctx, body);
      SyncState state = stateOf(def);
      // a paused sync stays paused: no run starts, the answer says it is paused
      if (state == null || !state.paused()) trigger.start(def, Boolean.TRUE.equals(body.performFullRefresh()));
      ctx.json(syncJson(def, stateOf(def)));
    });
    routes.post("/mgmt/v2/syncs/_pause", ctx -> {
      SyncDefinition def = selected(ctx, body(ctx, false));
      withConnection(c -> {
        SyncState state = ledger.ensureState(c, def.key(), def.strategy(), objectType(def));
        // pausing a paused sync changes nothing and tells nobody again
        if (!state.paused()) ledger.pause(c, def.key(), SyncPausedEvent.MANUAL);
        c.commit();
        return null;
      });
      ctx.json(syncJson(def, stateOf(def)));
    });
    routes.post("/mgmt/v2/syncs/_resume", ctx -> {
      SyncDefinition def = selected(ctx, body(ctx, false));
      withConnection(c -> {
        ledger.ensureState(c, def.key(), def.strategy(), objectType(def));
        ledger.resume(c, def.key());
        c.commit();
        return null;
      });
      ctx.json(syncJson(def, stateOf(def)));
    });
    routes.get("/mgmt/v2/sync-runs", this::listRuns);
  }

  private void listSyncs(Context ctx) throws SQLException {
    onlyKnownParameters(ctx, SYNC_FILTERS);
    String customer = ctx.queryParam("customer_id");
    String provider = ctx.queryParam("provider_name");
    ObjectType type = objectTypeParam(ctx);
    String object = ctx.queryParam("object");
    if ((type == null) != (object == null)) throw ServeError.badRequest("object_type and object: give both or neither");
    int size = pageSize(ctx);
    long offset = cursor(ctx);
    List<SyncDefinition> kept = new ArrayList<>();
    for (SyncDefinition d : syncs) {
      if (customer != null && !customer.equals(d.key().customerId())) continue;
      if (provider != null && !provider.equals(d.key().provider())) continue;
      if (type != null && (type != objectType(d) || !object.equals(d.key().object()))) continue;
      kept.add(d);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = (int) Math.min(offset, kept.size()); i < Math.min(offset + size, kept.size()); i++) {
      results.add(syncJson(kept.get(i), stateOf(kept.get(i))));
    }
    ctx.json(page(results, kept.size(), offset, size));
  }

  private void listRuns(Context ctx) throws SQLException {
    onlyKnownParameters(ctx, RUN_FILTERS);
    Instant[] started = timestampFilter(ctx, "start_timestamp");
    Instant[] ended = timestampFilter(ctx, "end_timestamp");
    RunFilter filter = new RunFilter(cfg.applicationId(), ctx.queryParam("customer_id"), ctx.queryParam("provider_name"),
        objectTypeParam(ctx), ctx.queryParam("object"), statusParam(ctx), started[0], started[1], ended[0], ended[1]);
    int size = pageSize(ctx);
    long offset = cursor(ctx);
    SyncRunsTable runs = new SyncRunsTable(destination.schema());
    Map<String, Object> body = withConnection(c -> {
      long total;
      try (PreparedStatement ps = prepared(c, runs.count(filter)); ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      List<Map<String, Object>> results = new ArrayList<>();
      try (PreparedStatement ps = prepared(c, runs.page(filter, size, offset)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) results.add(runJson(rs));
      }
      c.commit();
      return page(results, total, offset, size);
    });
    ctx.json(body);
  }

  private static Map<String, Object> runJson(ResultSet rs) throws SQLException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", Long.toString(rs.getLong("run_id")));
    r.put("sync_id", new SyncKey(rs.getString("application_id"), rs.getString("provider_name"),
        rs.getString("customer_id"), rs.getString("object_name")).syncId());
    r.put("type", "object");
    r.put("object_type", rs.getString("object_type"));
    r.put("object", rs.getString("object_name"));
    r.put("status", rs.getString("status"));
    r.put("strategy", rs.getString("strategy"));
    r.put("error_message", rs.getString("error"));
    Instant start = Timestamps.read(rs, "started_at");
    Instant end = Timestamps.read(rs, "ended_at");
    r.put("start_timestamp", start == null ? null : start.toString());
    r.put("end_timestamp", end == null ? null : end.toString());
    r.put("num_records_synced", rs.getLong("records_written"));
    r.put("num_records_deleted", rs.getLong("records_deleted"));
    r.put("customer_id", rs.getString("customer_id"));
    r.put("provider_name", rs.getString("provider_name"));
    return r;
  }

  private Map<String, Object> syncJson(SyncDefinition d, SyncState state) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", d.key().syncId());
    s.put("type", "object");
    s.put("object_type", objectType(d).value());
    s.put("object", d.key().object());
    s.put("paused", state != null && state.paused());
    s.put("pause_reason", state == null ? null : state.pausedReason());
    s.put("provider_name", d.key().provider());
    s.put("customer_id", d.key().customerId());
    s.put("strategy", d.strategy());
    s.put("full_refresh_requested", state != null && state.forceFull());
    s.put("common_object", d.commonObject() == null ? null : d.commonObject().value());
    return s;
  }

  private static Map<String, Object> page(List<Map<String, Object>> results, long total, long offset, int size) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("next", offset + size < total ? encodeCursor(offset + size) : null);
    page.put("previous", offset > 0 ? encodeCursor(Math.max(0, offset - size)) : null);
    page.put("total_count", total);
    page.put("results", results);
    return page;
  }

  private static String encodeCursor(long offset) {
    return ListQuery.encode(OFFSET_CURSOR, Long.toString(offset));
  }

  private static long cursor(Context ctx) {
    String c = ctx.queryParam("cursor");
    if (c == null) return 0;
    String position = ListQuery.positionOf(OFFSET_CURSOR, c);
    try {
      long offset = position == null ? -1 : Long.parseLong(position);
      if (offset >= 0) return offset;
    } catch (NumberFormatException notOurs) {
      // falls through to the refusal
    }
    throw ServeError.badRequest("cursor: not a cursor this API gave out");
  }

  private static int pageSize(Context ctx) {
    String v = ctx.queryParam("page_size");
    if (v == null) return MAX_PAGE;
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_PAGE) return n;
    } catch (NumberFormatException notANumber) {
      // falls through to the refusal
    }
    throw ServeError.badRequest("page_size: must be a whole number from 1 to " + MAX_PAGE + ", not '" + v + "'");
  }

  private static void onlyKnownParameters(Context ctx, Set<String> known) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) throw ServeError.badRequest(name + ": unknown query parameter (" + String.join(", ", new TreeSet<>(known)) + ")");
    }
  }

  private static ObjectType objectTypeParam(Context ctx) {
    String v = ctx.queryParam("object_type");
    return v == null ? null : objectType("object_type", v);
  }

  private static ObjectType objectType(String name, String v) {
    try {
      return ObjectType.of(v);
    } catch (IllegalArgumentException unknown) {
      throw ServeError.badRequest(name + ": must be standard or custom, not '" + v + "'");
    }
  }

  private static RunStatus statusParam(Context ctx) {
    String v = ctx.queryParam("status");
    if (v == null) return null;
    try {
      return RunStatus.valueOf(v);
    } catch (IllegalArgumentException unknown) {
      throw ServeError.badRequest("status: must be IN_PROGRESS, SUCCESS or FAILURE, not '" + v + "'");
    }
  }

  /** {@code >ISO} (after) or {@code <ISO} (before), as {after, before}. */
  private static Instant[] timestampFilter(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) return new Instant[2];
    if (v.length() > 1 && (v.charAt(0) == '>' || v.charAt(0) == '<')) {
      try {
        Instant t = Instant.parse(v.substring(1));
        return v.charAt(0) == '>' ? new Instant[] {t, null} : new Instant[] {null, t};
      } catch (DateTimeParseException notIso) {
        // falls through to the refusal
      }
    }
    throw ServeError.badRequest(name + ": must be >ISO-8601 or <ISO-8601 (e.g. >2024-01-01T00:00:00Z), not '" + v + "'");
  }

  private static SyncSelector body(Context ctx, boolean mayRefresh) {
    SyncSelector body;
    try {
      body = SELECTOR.readValue(ctx.body());
    } catch (JsonMappingException e) {
      String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
      throw ServeError.validation(field == null ? "the body must be a JSON object {object_type, object"
          + (mayRefresh ? ", perform_full_refresh" : "") + "}" : field + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (JacksonException e) {
      throw ServeError.validation("the body is not JSON: " + e.getOriginalMessage());
    }
    if (body == null) throw ServeError.validation("the body must be a JSON object");
    if (body.objectType() == null) throw ServeError.validation("object_type: required (standard or custom)");
    if (body.object() == null || body.object().isBlank()) throw ServeError.validation("object: required");
    if (!mayRefresh && body.performFullRefresh() != null) throw ServeError.validation("perform_full_refresh: only _trigger takes it");
    return body;
  }

  private SyncDefinition selected(Context ctx, SyncSelector body) {
    CrmConnection connection = CrmConnection.of(ctx, cfg);
    ObjectType type = objectType("object_type", body.objectType());
    for (SyncDefinition d : syncs) {
      if (d.key().customerId().equals(connection.customerId()) && d.key().provider().equals(connection.provider())
          && d.key().object().equals(body.object()) && objectType(d) == type) {
        return d;
      }
    }
    throw ServeError.notFound("no sync of " + type.value() + " object '" + body.object() + "' for " + connection.customerId()
        + "/" + connection.provider());
  }

  private static ObjectType objectType(SyncDefinition d) {
    return d.custom() ? ObjectType.CUSTOM : ObjectType.STANDARD;
  }

  private SyncState stateOf(SyncDefinition d) throws SQLException {
    return withConnection(c -> {
      SyncState s = ledger.load(c, d.key());
      c.commit();
      return s;
    });
  }

  private static PreparedStatement prepared(Connection c, SyncRunsTable.Query q) throws SQLException {
    PreparedStatement ps = c.prepareStatement(q.sql());
    for (int i = 0; i < q.params().size(); i++) {
      Object p = q.params().get(i);
      if (p instanceof Instant t) Timestamps.bind(ps, i + 1, t);
      else ps.setObject(i + 1, p);
    }
    return ps;
  }

  @FunctionalInterface
  private interface InTransaction<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(InTransaction<T> work) throws SQLException {
    try (Connection c = destination.open()) {
      return work.run(c);
    }
  }
}
