package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.pipelines.config.SyncbeamConfig.SyncEntry;
import io.javalin.http.Context;

/** The (customer, provider) a {@code /crm/v2} request names in its headers, resolved against the config's syncs. */
public record CrmConnection(String customerId, String provider, SyncEntry sync) {
  public static final String CUSTOMER_HEADER = "x-customer-id";
  public static final String PROVIDER_HEADER = "x-provider-name";

  /** 401 when a header is missing (as Supaglue answers), 404 when the config has no such pair. */
  public static CrmConnection of(Context ctx, SyncbeamConfig cfg) {
    String customer = header(ctx, CUSTOMER_HEADER);
    String provider = header(ctx, PROVIDER_HEADER);
    for (SyncEntry s : cfg.syncs()) {
      if (s.customerId().equals(customer) && s.provider().equals(provider)) return new CrmConnection(customer, provider, s);
    }
    throw ServeError.notFound("no connection for customer '" + customer + "' and provider '" + provider + "'");
  }

  private static String header(Context ctx, String name) {
    String v = ctx.header(name);
    if (v == null || v.isBlank()) throw ServeError.unauthorized("missing " + name + " header");
    return v;
  }
}
