package dev.syncbeam.schemas;

import dev.syncbeam.schemas.bookkeeping.DeliveryStatus;
import java.util.List;

/**
 * SyncBeam's own bookkeeping tables, prefixed {@code _syncbeam_}, as migrations create them. The
 * statements that read and write them are in {@link dev.syncbeam.schemas.bookkeeping}, one class a table.
 */
public final class SyncbeamTables {
  public static final String MIGRATIONS = "_syncbeam_migrations";
  public static final String SYNC_STATE = "_syncbeam_sync_state";
  public static final String SYNC_RUNS = "_syncbeam_sync_runs";
  public static final String DEAD_LETTERS = "_syncbeam_dead_letters";
  public static final String SEEN_KEYS = "_syncbeam_seen_keys";
  public static final String WEBHOOK_OUTBOX = "_syncbeam_webhook_outbox";

  private SyncbeamTables() {}

  static String migrationsDdl(String schema) {
    return "CREATE TABLE IF NOT EXISTS " + SqlIdentifiers.qualified(schema, MIGRATIONS) + " ("
        + "version integer PRIMARY KEY, description text NOT NULL, "
        + "applied_at timestamp(3) NOT NULL DEFAULT (now() AT TIME ZONE 'utc'))";
  }

  /** The bookkeeping tables as first shipped; later changes are further migrations, never edits here. */
  static List<String> initialDdl(String schema) {
    String scope = "application_id text NOT NULL, provider_name text NOT NULL, customer_id text NOT NULL, "
        + "object_name text NOT NULL, ";
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + SqlIdentifiers.qualified(schema, SYNC_STATE) + " (" + scope
            + "strategy text NOT NULL, phase text NOT NULL DEFAULT 'created', watermark timestamp(3), "
            + "paused boolean NOT NULL DEFAULT false, paused_reason text, force_full boolean NOT NULL DEFAULT false, "
            + "incrementals_since_full integer NOT NULL DEFAULT 0, last_emitted_at timestamp(3), "
            + "updated_at timestamp(3) NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), "
            + "PRIMARY KEY (application_id, provider_name, customer_id, object_name))",
        "CREATE TABLE IF NOT EXISTS " + SqlIdentifiers.qualified(schema, SYNC_RUNS) + " ("
            + "run_id bigserial PRIMARY KEY, " + scope
            + "strategy text NOT NULL, status text NOT NULL, started_at timestamp(3) NOT NULL, ended_at timestamp(3), "
            + "emitted_at timestamp(3) NOT NULL, records_read bigint NOT NULL DEFAULT 0, "
            + "records_written bigint NOT NULL DEFAULT 0, records_deleted bigint NOT NULL DEFAULT 0, "
            + "records_skipped bigint NOT NULL DEFAULT 0, dead_letters bigint NOT NULL DEFAULT 0, "
            + "coerced bigint NOT NULL DEFAULT 0, watermark_after timestamp(3), error text, notes text)",
        "CREATE INDEX IF NOT EXISTS _syncbeam_sync_runs_by_sync ON " + SqlIdentifiers.qualified(schema, SYNC_RUNS)
            + " (application_id, provider_name, customer_id, object_name, run_id DESC)",
        "CREATE TABLE IF NOT EXISTS " + SqlIdentifiers.qualified(schema, DEAD_LETTERS) + " ("
            + "id bigserial PRIMARY KEY, run_id bigint NOT NULL, " + scope
            + "record_id text, error text NOT NULL, payload text, "
            + "created_at timestamp(3) NOT NULL DEFAULT (now() AT TIME ZONE 'utc'))",
        "CREATE INDEX IF NOT EXISTS _syncbeam_dead_letters_by_run ON " + SqlIdentifiers.qualified(schema, DEAD_LETTERS)
            + " (run_id, record_id)");
  }

  /** Dead letters carry a fingerprint, unique per run, so a retried bundle cannot insert a record twice. */
  static List<String> deadLetterFingerprints(String schema) {
    String table = SqlIdentifiers.qualified(schema, DEAD_LETTERS);
    return List.of(
        "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS fingerprint text",
        "CREATE UNIQUE INDEX IF NOT EXISTS _syncbeam_dead_letters_once ON " + table + " (run_id, fingerprint)");
  }

  /**
   * The webhook outbox: one row per event, written in the transaction that ends the run or pauses
   * the sync, so an event exists exactly when what it reports was committed. Sync state learns each
   * sync's object type, which the events carry.
   */
  static List<String> webhookOutbox(String schema) {
    String table = SqlIdentifiers.qualified(schema, WEBHOOK_OUTBOX);
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " ("
            + "id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, event_type text NOT NULL, "
            + "application_id text NOT NULL, provider_name text NOT NULL, customer_id text NOT NULL, object_name text NOT NULL, "
            + "run_id bigint, body text NOT NULL, status text NOT NULL, attempts integer NOT NULL DEFAULT 0, "
            + "created_at timestamp(3) NOT NULL, next_attempt_at timestamp(3) NOT NULL, last_attempt_at timestamp(3), "
            + "delivered_at timestamp(3), last_error text)",
        "CREATE INDEX IF NOT EXISTS _syncbeam_webhook_outbox_due ON " + table + " (next_attempt_at, id) WHERE status = '" + DeliveryStatus.PENDING.name() + "'",
        "ALTER TABLE " + SqlIdentifiers.qualified(schema, SYNC_STATE) + " ADD COLUMN IF NOT EXISTS object_type text");
  }

  /** What a run cost at the provider's API (null for runs read from extract files). */
  static List<String> apiCost(String schema) {
    String runs = SqlIdentifiers.qualified(schema, SYNC_RUNS);
    return List.of(
        "ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS api_requests bigint",
        "ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS api_bytes bigint");
  }

  /**
   * The ids each run in progress has read, so a full refresh's sweep knows what it saw without
   * stamping every row. Unlogged: it only matters while its run is in progress (a crash fails that
   * run anyway), and writing it costs the database no WAL.
   */
  static List<String> seenKeys(String schema) {
    String table = SqlIdentifiers.qualified(schema, SEEN_KEYS);
    return List.of(
        "CREATE UNLOGGED TABLE IF NOT EXISTS " + table + " (run_id bigint NOT NULL, record_id text NOT NULL)",
        "CREATE INDEX IF NOT EXISTS _syncbeam_seen_keys_by_run ON " + table + " (run_id, record_id)");
  }

  /**
   * The sweep hashes a run's seen keys rather than probing them, so the record id in the index only
   * cost every COPY a text comparison per key; ending a run finds its keys by run id alone.
   */
  static List<String> seenKeysByRun(String schema) {
    String table = SqlIdentifiers.qualified(schema, SEEN_KEYS);
    return List.of(
        "CREATE INDEX IF NOT EXISTS _syncbeam_seen_keys_run ON " + table + " (run_id)",
        "DROP INDEX IF EXISTS " + SqlIdentifiers.qualified(schema, "_syncbeam_seen_keys_by_run"));
  }
}
