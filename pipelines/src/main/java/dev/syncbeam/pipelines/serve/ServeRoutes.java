package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.util.ArrayList;
import java.util.List;

/** The route groups {@code syncbeam serve} mounts; a new group (e.g. the management API) is added to this list. */
public final class ServeRoutes {
  private ServeRoutes() {}

  public static List<Routes> standard(SyncbeamConfig cfg) {
    List<Routes> groups = new ArrayList<>();
    groups.add(new CrmRoutes(cfg));
    return groups;
  }
}
