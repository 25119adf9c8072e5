package dev.syncbeam.pipelines.serve;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Adds routes to the running app and remembers them, so the OpenAPI document can be checked against what is served. */
public final class RouteRegistry {
  /** One registered route; {@code path} in Javalin's form ({@code /crm/v2/{object}/{id}}). */
  public record Route(HandlerType method, String path) {}

  private final Javalin app;
  private final List<Route> routes = new ArrayList<>();

  RouteRegistry(Javalin app) {
    this.app = app;
  }

  public RouteRegistry get(String path, Handler handler) {
    return add(HandlerType.GET, path, handler);
  }

  public RouteRegistry post(String path, Handler handler) {
    return add(HandlerType.POST, path, handler);
  }

  public RouteRegistry patch(String path, Handler handler) {
    return add(HandlerType.PATCH, path, handler);
  }

  public RouteRegistry put(String path, Handler handler) {
    return add(HandlerType.PUT, path, handler);
  }

  public RouteRegistry delete(String path, Handler handler) {
    return add(HandlerType.DELETE, path, handler);
  }

  public synchronized RouteRegistry add(HandlerType method, String path, Handler handler) {
    app.addHttpHandler(method, path, handler);
    routes.add(new Route(method, path));
    return this;
  }

  public synchronized List<Route> routes() {
    return List.copyOf(routes);
  }
}
