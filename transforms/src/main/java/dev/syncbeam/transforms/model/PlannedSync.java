package dev.syncbeam.transforms.model;

import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.CommonLookups;
import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StructuralByteArray;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TypeDescriptor;
import java.time.Instant;
import java.util.List;

/**
 * One sync's run as decided before the pipeline starts: which run it is, what to read and where
 * its rows land. Travels by value to every worker.
 *
 * @param readFrom incremental runs skip records modified before this (watermark minus overlap); null reads all
 * @param extractRoot the folder holding {@code <object>/*} extract files
 * @param rawTable the standard-object table, or {@code custom_objects}
 * @param customObjectName the slugged {@code _supaglue_object_name} when rawTable is custom_objects, else null
 * @param commonObject (common objects) the unified object the records also land as, in {@code crm_<commonObject>}; null for none
 * @param lookups (common objects) labels the mapping needs, loaded in the driver; never null
 * @param api the live API to read instead of extract files (extractRoot is then null), or null
 * @param startedEmpty its tables held no row of this sync when the run was planned, so its sweep has
 *     nothing to mark (every row it could find was written during the run, by the run or through serve)
 */
public record PlannedSync(
    SyncKey key,
    RunMode mode,
    long runId,
    Instant emittedAt,
    Instant readFrom,
    String extractRoot,
    String rawTable,
    String customObjectName,
    CommonObject commonObject,
    CommonLookups lookups,
    ApiSource api,
    boolean startedEmpty)
    implements Serializable {

  /** A stream's planned runs travel as elements; see {@link RunCoder}. */
  public static final Coder<PlannedSync> CODER = new RunCoder();

  /**
   * Java serialization, compared by its bytes: lookups and API sources hold no value equality, so
   * SerializableCoder's equals-based check warned at every element of a stream's plan.
   */
  static final class RunCoder extends SerializableCoder<PlannedSync> {
    private RunCoder() {
      super(PlannedSync.class, TypeDescriptor.of(PlannedSync.class));
    }

    @Override
    public Object structuralValue(PlannedSync value) {
      try {
        return new StructuralByteArray(CoderUtils.encodeToByteArray(this, value));
      } catch (CoderException e) {
        throw new IllegalArgumentException(e);
      }
    }

    @Override
    public boolean consistentWithEquals() {
      return false;
    }
  }

  public PlannedSync {
    if (lookups == null) lookups = CommonLookups.NONE;
  }

  /** A sync whose records land only in their raw table. */
  public PlannedSync(SyncKey key, RunMode mode, long runId, Instant emittedAt, Instant readFrom, String extractRoot,
      String rawTable, String customObjectName) {
    this(key, mode, runId, emittedAt, readFrom, extractRoot, rawTable, customObjectName, null, CommonLookups.NONE, null, false);
  }

  /** A sync read from extract files. */
  public PlannedSync(SyncKey key, RunMode mode, long runId, Instant emittedAt, Instant readFrom, String extractRoot,
      String rawTable, String customObjectName, CommonObject commonObject, CommonLookups lookups) {
    this(key, mode, runId, emittedAt, readFrom, extractRoot, rawTable, customObjectName, commonObject, lookups, null, false);
  }

  /** A run planned without looking at its tables: its sweep (if its mode has one) considers every row of the sync. */
  public PlannedSync(SyncKey key, RunMode mode, long runId, Instant emittedAt, Instant readFrom, String extractRoot,
      String rawTable, String customObjectName, CommonObject commonObject, CommonLookups lookups, ApiSource api) {
    this(key, mode, runId, emittedAt, readFrom, extractRoot, rawTable, customObjectName, commonObject, lookups, api, false);
  }

  /** The same run, planned when its tables held no row of its sync. */
  public PlannedSync startingEmpty() {
    return new PlannedSync(key, mode, runId, emittedAt, readFrom, extractRoot, rawTable, customObjectName, commonObject,
        lookups, api, true);
  }

  /**
   * Whether the run ends with the sweep, and so needs the ids it read recorded: a full refresh or a
   * delete check, unless its tables held none of the sync's rows when it was planned.
   */
  public boolean sweeps() {
    return mode.sweeps() && !startedEmpty;
  }

  public boolean readsApi() {
    return api != null;
  }

  /** The crm_* table this sync also fills, or null. */
  public String commonTable() {
    return commonObject == null ? null : commonObject.table();
  }

  public String label() {
    return key.label();
  }

  /**
   * What every element of this run is keyed by: the sync and the run id, so two runs of one sync
   * (successive ticks of a stream) never merge their counts or their rows' bookkeeping.
   */
  public String runKey() {
    return runKey(label(), runId);
  }

  public static String runKey(String label, long runId) {
    return label + RUN_SEPARATOR + runId;
  }

  /** The sync label a run key names. */
  public static String labelOf(String runKey) {
    int at = runKey.lastIndexOf(RUN_SEPARATOR);
    return at < 0 ? runKey : runKey.substring(0, at);
  }

  private static final char RUN_SEPARATOR = '#';

  /** Every table the sync writes, so the full-refresh sweep covers the crm_* table too. */
  public List<String> tables() {
    return commonObject == null ? List.of(rawTable) : List.of(rawTable, commonTable());
  }
}
