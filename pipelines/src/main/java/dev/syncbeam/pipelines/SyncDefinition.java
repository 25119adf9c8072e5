package dev.syncbeam.pipelines;

import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.Providers;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.time.Duration;
import dev.syncbeam.transforms.extract.ExtractLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One configured sync: a (customer, provider) entry expanded to one object, and where its rows land; a stream's workers receive it as it is. */
public record SyncDefinition(
    SyncKey key,
    /** where the extract folders are: a local absolute path or a Beam file-system URI (s3://, gs://, hdfs://) */
    String extractRoot,
    String rawTable,
    /** custom_objects' {@code _supaglue_object_name} (also its view's name), or null for a standard object */
    String customObjectName,
    String strategy,
    int fullEveryNIncrementals,
    /** (common objects) the unified object these records also land as, in its crm_* table; null for none */
    CommonObject commonObject,
    /** the live API to read instead of extract files (extractRoot is then null); null for extracts */
    ApiSource api,
    /** 0: never; N: after every N incremental runs, one delete check (ids only, then the sweep) */
    int deleteCheckEveryNIncrementals,
    /** how often {@code syncbeam stream} runs it */
    Duration period) implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncDefinition.class);

  /** A sync that lands only its raw table. */
  public SyncDefinition(SyncKey key, String extractRoot, String rawTable, String customObjectName, String strategy,
      int fullEveryNIncrementals) {
    this(key, extractRoot, rawTable, customObjectName, strategy, fullEveryNIncrementals, null, null, 0, SyncbeamConfig.DEFAULT_PERIOD);
  }

  public SyncDefinition(SyncKey key, String extractRoot, String rawTable, String customObjectName, String strategy,
      int fullEveryNIncrementals, CommonObject commonObject) {
    this(key, extractRoot, rawTable, customObjectName, strategy, fullEveryNIncrementals, commonObject, null, 0,
        SyncbeamConfig.DEFAULT_PERIOD);
  }

  public SyncDefinition withCommonObject(CommonObject common) {
    return new SyncDefinition(key, extractRoot, rawTable, customObjectName, strategy, fullEveryNIncrementals, common, api,
        deleteCheckEveryNIncrementals, period);
  }

  public SyncDefinition withDeleteCheckEvery(int incrementals) {
    return new SyncDefinition(key, extractRoot, rawTable, customObjectName, strategy, fullEveryNIncrementals, commonObject, api,
        incrementals, period);
  }

  /** The same sync read from a live API. */
  public SyncDefinition withApi(ApiSource source) {
    return new SyncDefinition(key, source == null ? extractRoot : null, rawTable, customObjectName, strategy,
        fullEveryNIncrementals, commonObject, source, deleteCheckEveryNIncrementals, period);
  }

  /** The same sync run every {@code every} by {@code syncbeam stream}. */
  public SyncDefinition withPeriod(Duration every) {
    return new SyncDefinition(key, extractRoot, rawTable, customObjectName, strategy, fullEveryNIncrementals, commonObject, api,
        deleteCheckEveryNIncrementals, every);
  }

  /**
   * Makes the sync's tables (raw or custom objects with its view, and its crm_* table) current in
   * {@code schema}, skipping those named in {@code ensured} and adding the rest: a planning pass over
   * thousands of syncs and a handful of tables reads the catalog once per table, not once per sync.
   */
  public void ensureTables(Connection c, String schema, Set<String> ensured) throws SQLException {
    TableDefinition raw = custom() ? ObjectTables.customObjects() : ObjectTables.forTableName(rawTable);
    if (ensured.add("table " + raw.name())) Ddl.ensureTable(c, schema, raw);
    if (custom() && ensured.add("view " + key.provider() + "." + customObjectName)) {
      try (Statement st = c.createStatement()) {
        st.execute(Ddl.customObjectView(schema, key.provider(), customObjectName));
      }
    }
    if (commonObject != null) {
      TableDefinition common = ObjectTables.common(commonObject);
      if (ensured.add("table " + common.name())) Ddl.ensureTable(c, schema, common);
    }
  }

  public boolean readsApi() {
    return api != null;
  }

  public boolean custom() {
    return customObjectName != null;
  }

  /** Every sync of the config, in config order; {@code only} (labels customer/provider/object) narrows it. */
  public static List<SyncDefinition> expand(SyncbeamConfig config, List<String> only) {
    Map<String, SyncDefinition> out = new LinkedHashMap<>();
    // where each (customer, provider, table, custom object name) was first configured: two names for one set of rows
    Map<String, String> rowsOf = new HashMap<>();
    for (int entry = 0; entry < config.syncs().size(); entry++) {
      SyncbeamConfig.SyncEntry e = config.syncs().get(entry);
      List<String[]> objects = new ArrayList<>();
      for (int i = 0; i < e.standardObjects().size(); i++) {
        String o = e.standardObjects().get(i);
        objects.add(new String[] {o, Providers.get(e.provider()).records().isCustomObjectName(o) ? "custom" : "standard",
            "syncs[" + entry + "].standard_objects[" + i + "]"});
      }
      for (int i = 0; i < e.customObjects().size(); i++) {
        objects.add(new String[] {e.customObjects().get(i), "custom", "syncs[" + entry + "].custom_objects[" + i + "]"});
      }
      for (String[] o : objects) {
        SyncKey key = new SyncKey(config.applicationId(), e.provider(), e.customerId(), o[0]);
        SyncDefinition def;
        try {
          ExtractLayout.checkObjectName(o[0]);
          String table = ObjectTables.standardTableName(e.provider(), o[0]);
          def = o[1].equals("custom")
              ? new SyncDefinition(key, e.extractRoot(), ObjectTables.CUSTOM_OBJECTS, table, e.strategy().value(), e.fullEveryNIncrementals())
              : new SyncDefinition(key, e.extractRoot(), table, null, e.strategy().value(), e.fullEveryNIncrementals());
          def = def.withApi(e.api()).withDeleteCheckEvery(e.deleteCheckEveryNIncrementals()).withPeriod(e.period());
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(config.file() + ": sync " + key.label() + ": " + ex.getMessage());
        }
        if (out.put(key.label(), def) != null) throw new ConfigException(config.file() + ": sync " + key.label() + " is listed twice");
        String rows = e.customerId() + "/" + e.provider() + "/" + def.rawTable() + "/" + def.customObjectName();
        String first = rowsOf.putIfAbsent(rows, o[2] + " '" + o[0] + "'");
        if (first != null) {
          // each sync's full refresh would mark the other's rows deleted
          throw new ConfigException(config.file() + ": " + o[2] + ": '" + o[0] + "' and " + first + " land in the same rows ("
              + (def.custom() ? ObjectTables.CUSTOM_OBJECTS + " as " + def.customObjectName() : def.rawTable()) + " for "
              + e.customerId() + "/" + e.provider() + "); list the object once");
        }
      }
      addCommonObjects(config, e, out);
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

  /**
   * Common objects: each is fed by one provider object, read once for both its raw table
   * and crm_*; when that object is also a standard object of the entry, the one sync does both.
   * A common object the provider has no object for (HubSpot leads) lands nothing and says so.
   */
  private static void addCommonObjects(SyncbeamConfig config, SyncbeamConfig.SyncEntry e, Map<String, SyncDefinition> out) {
    for (String name : e.commonObjects()) {
      CommonObject common = CommonObject.of(name);
      String object = Providers.get(e.provider()).commonObjects().providerObject(common);
      SyncKey key = new SyncKey(config.applicationId(), e.provider(), e.customerId(), object == null ? common.value() : object);
      if (object == null) {
        LOG.warn("{}: sync {}: {} has no object for common object '{}': nothing lands in {}", config.file(),
            key.label(), e.provider(), common, common.table());
        continue;
      }
      String table = ObjectTables.standardTableName(e.provider(), object);
      SyncDefinition standard = out.values().stream()
          .filter(d -> d.key().customerId().equals(e.customerId()) && d.key().provider().equals(e.provider())
              && table.equals(d.rawTable()))
          .findFirst().orElse(null);
      if (standard != null && standard.commonObject() != null) {
        throw new ConfigException(config.file() + ": sync " + key.label() + ": common object '" + common + "' is listed twice");
      }
      SyncDefinition def = standard != null ? standard.withCommonObject(common)
          : new SyncDefinition(key, e.extractRoot(), table, null, e.strategy().value(), e.fullEveryNIncrementals(), common).withApi(e.api())
              .withDeleteCheckEvery(e.deleteCheckEveryNIncrementals())
              .withPeriod(e.period());
      out.put(def.key().label(), def);
    }
  }
}
