package dev.syncbeam.pipelines.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.schemas.bookkeeping.SeenKeysTable;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.RecordRows;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.StagedRow;
import dev.syncbeam.transforms.postgres.DestinationSession;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.postgres.SqlFailure;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.run.RunLedger;
import dev.syncbeam.transforms.run.SyncState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache invalidation on write: once the provider has accepted a create or update, the record is
 * read back (as its sync reads it), mapped by the sync's own code and merged into its raw and
 * crm_* rows through the sync's guarded merge, stamped now, so an older copy a sync run is about
 * to land cannot replace it. A refresh that cannot be done is a warning, never a failed request:
 * the provider already has the write, and the next sync repairs the row.
 */
final class CacheRefresh {
  private static final Logger LOG = LoggerFactory.getLogger(CacheRefresh.class);
  /** A request waits for its refresh, so an unreachable destination is given up on quickly. */
  private static final Duration RECONNECT_WINDOW = Duration.ofSeconds(2);
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
  private static final int IDLE_SESSIONS = 8;

  private final PostgresDestination destination;
  /** By label: customer/provider/object. */
  private final Map<String, SyncDefinition> syncs = new HashMap<>();
  private final MappingLookups lookups;
  private final RunLedger ledger;
  private final SeenKeysTable seenKeys;
  private final Set<String> ensured = ConcurrentHashMap.newKeySet();
  /**
   * Sessions between refreshes: a new connection per write would pay for the login and for
   * creating the merge's staging tables again, most of a refresh's time.
   */
  private final BlockingQueue<DestinationSession> idle = new ArrayBlockingQueue<>(IDLE_SESSIONS);

  CacheRefresh(SyncbeamConfig cfg, PostgresDestination destination, MappingLookups lookups) {
    this.destination = destination.withReconnectWindow(RECONNECT_WINDOW).withLockTimeout(LOCK_TIMEOUT);
    this.lookups = lookups;
    this.ledger = new RunLedger(destination.schema());
    this.seenKeys = new SeenKeysTable(destination.schema());
    for (SyncDefinition d : SyncDefinition.expand(cfg, List.of())) syncs.put(d.key().label(), d);
  }

  /**
   * The sync that lands this provider object (as the config names it) for the connection, if the
   * config has one; it also fills the object's crm_* table when it is a common object's sync.
   */
  Optional<SyncDefinition> syncOf(CrmConnection c, String providerObject) {
    return Optional.ofNullable(syncs.get(c.customerId() + "/" + c.provider() + "/" + providerObject));
  }

  /** Refreshes the record's rows; empty when done, else the warning the response carries. */
  Optional<Warning> after(CrmConnection c, String providerObject, String id, ApiClient reads) {
    SyncDefinition def = syncOf(c, providerObject).orElse(null);
    if (def == null) {
      return Optional.of(new Warning(Warning.CACHE_NOT_UPDATED + ": not synced",
          "no sync of " + providerObject + " for " + c.customerId() + "/" + c.provider() + " in the config"));
    }
    DestinationSession session = idle.poll();
    if (session == null) session = DestinationSession.of(destination);
    boolean reusable = false;
    try {
      SyncState state = session.inTransaction("reading the state of " + def.key().label(), conn -> {
        ensureTables(conn, def);
        return ledger.load(conn, def.key());
      });
      ensured.add(def.key().label());
      if (state != null && state.paused()) {
        reusable = true;
        return Optional.of(new Warning(Warning.CACHE_NOT_UPDATED + ": sync paused",
            def.key().label() + " is paused (" + state.pausedReason() + "); its next run after a resume brings the row up to date"));
      }
      List<StagedRow> rows = rows(c, def, id, reads);
      session.inTransaction("refreshing " + providerObject + " " + id + " of " + def.key().label(), conn -> {
        for (StagedRow row : rows) {
          WriteToPostgres.guardedMerge(conn, new TableStatements(destination.schema(), ObjectTables.forTableName(row.table())),
              List.of(row), false);
        }
        // a full refresh running now may have listed the records before this one existed: it counts
        // as seen by that run, or the run's sweep would mark the row just written deleted
        RunLedger.RunningRun running = ledger.inProgress(conn, def.key());
        if (running != null) {
          try (PreparedStatement ps = conn.prepareStatement(seenKeys.add())) {
            ps.setLong(1, running.runId());
            ps.setString(2, rows.get(0).id());
            ps.executeUpdate();
          }
        }
        return null;
      });
      reusable = true;
      return Optional.empty();
    } catch (DestinationSession.Failed e) {
      LOG.warn("serve: cache refresh of {} {} for {} failed: {}", providerObject, id, def.key().label(), e.getMessage());
      return Optional.of(new Warning(Warning.CACHE_NOT_UPDATED, "the destination did not take the refreshed row ("
          + SqlFailure.message(e) + "); the next sync of " + def.key().label() + " brings it up to date"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("serve: cache refresh of {} {} for {} failed", providerObject, id, def.key().label(), e);
      return Optional.of(new Warning(Warning.CACHE_NOT_UPDATED, "the record could not be read back from " + c.provider()
          + " (" + e.getClass().getSimpleName() + "); the next sync of " + def.key().label() + " brings it up to date"));
    } finally {
      if (!reusable || !idle.offer(session)) session.close();
    }
  }

  /** The record read back and turned into rows exactly as a run of its sync would, stamped now. */
  private List<StagedRow> rows(CrmConnection c, SyncDefinition def, String id, ApiClient reads) throws IOException {
    JsonNode record = Providers.get(c.provider()).writes().readRecord(def.key().object(), id, reads);
    CommonObject common = def.commonObject();
    CommonLookups labels = common == null ? CommonLookups.NONE : lookups.of(c, def.key().object(), common, reads);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    PlannedSync sync = new PlannedSync(def.key(), RunMode.INCREMENTAL, 0, now, null, null, def.rawTable(), def.customObjectName(),
        common, labels, def.api());
    return RecordRows.of(sync, Json.MAPPER.writeValueAsString(record));
  }

  /** Closes the idle sessions. */
  void close() {
    for (DestinationSession s = idle.poll(); s != null; s = idle.poll()) s.close();
  }

  /** The first write before any sync ran still lands: the tables are made as a sync would make them. */
  private void ensureTables(Connection conn, SyncDefinition def) throws SQLException {
    if (ensured.contains(def.key().label())) return;
    SchemaMigrator.standard().migrate(conn, destination.schema());
    // a fresh set: this transaction may still roll back, and ensured only holds what committed
    def.ensureTables(conn, destination.schema(), new HashSet<>());
  }
}
