package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.util.ArrayList;
import java.util.List;

/** The route groups {@code syncbeam serve} mounts; a new group (e.g. the management API) is added to this list. */
public final class ServeRoutes {
  private ServeRoutes() {}

  /** The groups for {@code cfg}, whose cache refreshes and cached lists go to {@code destination}. */
  public static List<Routes> standard(SyncbeamConfig cfg, PostgresDestination destination) {
    List<Routes> groups = new ArrayList<>();
    groups.add(new CrmRoutes(cfg, destination));
    return groups;
  }
}
