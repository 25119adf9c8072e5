package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.util.ArrayList;
import java.util.List;

/** The route groups {@code syncbeam serve} mounts; a new group is added to this list. */
public final class ServeRoutes {
  private ServeRoutes() {}

  /**
   * The CRM actions (cache refreshes and cached lists go to {@code destination}) and the management
   * API (triggered runs through {@code trigger}).
   */
  public static List<Routes> standard(SyncbeamConfig cfg, PostgresDestination destination, SyncTrigger trigger) {
    List<Routes> groups = new ArrayList<>();
    groups.add(new CrmRoutes(cfg, destination));
    groups.add(new MgmtRoutes(cfg, destination, trigger));
    return groups;
  }
}
