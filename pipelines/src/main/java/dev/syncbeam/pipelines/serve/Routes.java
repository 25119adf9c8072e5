package dev.syncbeam.pipelines.serve;

/**
 * A group of endpoints {@link ServeServer} mounts (the CRM actions, the management API, ...). Each group
 * registers through {@link RouteRegistry} so the server knows every route it offers (the OpenAPI check
 * relies on that) and every route gets the same key check and error body.
 */
@FunctionalInterface
public interface Routes {
  void register(RouteRegistry routes);

  /** Releases what the group holds (database sessions); the server calls it once it has stopped. */
  default void close() {}
}
