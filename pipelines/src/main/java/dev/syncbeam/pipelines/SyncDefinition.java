package dev.syncbeam.pipelines;

import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.providers.Providers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One configured sync: a (customer, provider) entry expanded to one object, and where its rows land. */
public record SyncDefinition(
    SyncKey key,
    Path extractRoot,
    String rawTable,
    /** custom_objects' {@code _supaglue_object_name} (also its view's name), or null for a standard object */
    String customObjectName,
    String strategy,
    int fullEveryNIncrementals) {

  public boolean custom() {
    return customObjectName != null;
  }

  /** Every sync of the config, in config order; {@code only} (labels customer/provider/object) narrows it. */
  public static List<SyncDefinition> expand(SyncbeamConfig config, List<String> only) {
    Map<String, SyncDefinition> out = new LinkedHashMap<>();
    for (SyncbeamConfig.SyncEntry e : config.syncs()) {
      List<String[]> objects = new ArrayList<>();
      e.standardObjects().forEach(o -> objects.add(new String[] {o, Providers.forName(e.provider()).isCustomObjectName(o) ? "custom" : "standard"}));
      e.customObjects().forEach(o -> objects.add(new String[] {o, "custom"}));
      for (String[] o : objects) {
        SyncKey key = new SyncKey(config.applicationId(), e.provider(), e.customerId(), o[0]);
        SyncDefinition def;
        try {
          String table = ObjectTables.standardTableName(e.provider(), o[0]);
          def = o[1].equals("custom")
              ? new SyncDefinition(key, e.extractRoot(), ObjectTables.CUSTOM_OBJECTS, table, e.strategy(), e.fullEveryNIncrementals())
              : new SyncDefinition(key, e.extractRoot(), table, null, e.strategy(), e.fullEveryNIncrementals());
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(config.file() + ": sync " + key.label() + ": " + ex.getMessage());
        }
        if (out.put(key.label(), def) != null) throw new ConfigException(config.file() + ": sync " + key.label() + " is listed twice");
      }
    }
    if (only != null && !only.isEmpty()) {
      for (String label : only) {
        if (!out.containsKey(label)) {
          throw new ConfigException("--only " + label + ": no such sync in " + config.file() + " (syncs: " + String.join(", ", out.keySet()) + ")");
        }
      }
      out.keySet().retainAll(only);
    }
    return List.copyOf(out.values());
  }
}
