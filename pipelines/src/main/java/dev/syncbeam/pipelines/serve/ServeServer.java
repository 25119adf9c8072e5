package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code syncbeam serve} HTTP service: a Javalin app with {@code x-api-key} on every route but
 * {@code /openapi.json}, one error body for every refusal, and the route groups it was given.
 */
public final class ServeServer implements AutoCloseable {
  public static final String API_KEY_HEADER = "x-api-key";
  public static final String OPENAPI_PATH = "/openapi.json";
  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);

  private final Javalin app;
  private final RouteRegistry registry;
  private final List<Routes> groups;

  private ServeServer(Javalin app, RouteRegistry registry, List<Routes> groups) {
    this.app = app;
    this.registry = registry;
    this.groups = List.copyOf(groups);
  }

  /** Starts listening on {@code serve.bind():serve.port()} (port 0 picks a free one) with the given route groups. */
  public static ServeServer start(SyncbeamConfig.Serve serve, List<Routes> groups) {
    ObjectMapper json = Json.MAPPER;
    ApiKeys keys = new ApiKeys(serve.apiKeys());
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.http.defaultContentType = "application/json";
    });
    app.before(ctx -> {
      if (ctx.path().equals(OPENAPI_PATH)) return;
      String key = ctx.header(API_KEY_HEADER);
      if (key == null || key.isEmpty()) throw ServeError.unauthorized("missing " + API_KEY_HEADER + " header");
      if (!keys.accepts(key)) throw ServeError.unauthorized("invalid " + API_KEY_HEADER);
    });
    app.exception(ServeError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("serve: {} {} failed", ctx.method(), ctx.path(), e);
      ServeError internal = ServeError.of(ErrorCode.INTERNAL_SERVER_ERROR, e.getClass().getSimpleName());
      ctx.status(internal.status()).json(internal.body());
    });
    // Javalin's own refusals (no such route, method not allowed) get the same body as ours
    app.exception(HttpResponseException.class, (e, ctx) -> {
      ServeError mapped = e.getStatus() == 404 || e.getStatus() == 405
          ? ServeError.notFound("no route " + ctx.method() + " " + ctx.path())
          : new ServeError(ErrorCode.BAD_REQUEST, e.getStatus(), ServeError.Origin.SYNCBEAM, e.getMessage());
      ctx.status(mapped.status()).json(mapped.body());
    });
    RouteRegistry registry = new RouteRegistry(app);
    String openapi = openapiDocument();
    app.addHttpHandler(HandlerType.GET, OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openapi));
    for (Routes group : groups) group.register(registry);
    app.start(serve.bind(), serve.port());
    return new ServeServer(app, registry, groups);
  }

  private static String openapiDocument() {
    try (InputStream in = ServeServer.class.getResourceAsStream("/openapi.json")) {
      if (in == null) throw new IllegalStateException("openapi.json missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return app.port();
  }

  /** Every route the route groups registered (not {@code /openapi.json} itself). */
  public List<RouteRegistry.Route> routes() {
    return registry.routes();
  }

  @Override
  public void close() {
    app.stop();
    groups.forEach(Routes::close);
  }
}
