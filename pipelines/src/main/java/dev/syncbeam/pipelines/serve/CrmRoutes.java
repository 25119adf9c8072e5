package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Supaglue's {@code /crm/v2} actions. So far only what every action does first (resolve the
 * connection headers) and DELETE, which Supaglue never offered for CRMs either: 501.
 */
public final class CrmRoutes implements Routes {
  static final Set<String> COMMON_OBJECTS = Set.of("accounts", "contacts", "leads", "opportunities");
  private final SyncbeamConfig cfg;

  public CrmRoutes(SyncbeamConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public void register(RouteRegistry routes) {
    routes.delete("/crm/v2/{object}/{id}", ctx -> {
      CrmConnection.of(ctx, cfg);
      if (!COMMON_OBJECTS.contains(ctx.pathParam("object"))) throw unknownObject(ctx);
      throw notImplemented(ctx);
    });
    routes.delete("/crm/v2/standard_objects/{object}/records/{id}", ctx -> {
      CrmConnection.of(ctx, cfg);
      throw notImplemented(ctx);
    });
    routes.delete("/crm/v2/custom_objects/{object}/records/{id}", ctx -> {
      CrmConnection.of(ctx, cfg);
      throw notImplemented(ctx);
    });
  }

  private static ServeError unknownObject(Context ctx) {
    return ServeError.notFound("unknown common object '" + ctx.pathParam("object") + "' (accounts, contacts, leads, opportunities)");
  }

  private static ServeError notImplemented(Context ctx) {
    return ServeError.of(ErrorCode.NOT_IMPLEMENTED_ERROR, "deleting " + ctx.pathParam("object") + " records is not supported");
  }
}
