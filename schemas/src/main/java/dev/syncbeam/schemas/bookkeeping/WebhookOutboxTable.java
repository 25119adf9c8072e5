package dev.syncbeam.schemas.bookkeeping;

import dev.syncbeam.schemas.SqlIdentifiers;
import dev.syncbeam.schemas.SyncbeamTables;

/**
 * All SQL of {@code _syncbeam_webhook_outbox}: one row per webhook event, inserted in the transaction
 * that commits what it reports, then claimed by a deliverer, posted, and marked delivered, retried
 * later or failed. A claim locks the row with {@code SKIP LOCKED}, so two deliverers never post one
 * event at once. The body is stored exactly as it is posted and signed; the secret never is.
 */
public final class WebhookOutboxTable {
  /** The columns {@link #claimDue()} returns, in this order. */
  public static final String CLAIMED = "id, event_id, body, attempts, created_at";

  private final String table;

  public WebhookOutboxTable(String schema) {
    this.table = SqlIdentifiers.qualified(schema, SyncbeamTables.WEBHOOK_OUTBOX);
  }

  public String qualifiedName() {
    return table;
  }

  /** Whether the table exists yet (a destination not migrated since before the outbox has none). */
  public String exists() {
    return "SELECT to_regclass('" + table.replace("'", "''") + "') IS NOT NULL";
  }

  /**
   * Event id, type, key, run id (null for none), body, PENDING, created-at, next-attempt-at. An
   * event already recorded (a replayed transaction) is left alone.
   */
  public String insert() {
    return "INSERT INTO " + table + " (event_id, event_type, application_id, provider_name, customer_id, object_name, run_id,"
        + " body, status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";
  }

  /** PENDING, now: the next event due, locked for this transaction; rows another deliverer holds are skipped. */
  public String claimDue() {
    return "SELECT " + CLAIMED + " FROM " + table + " WHERE status = ? AND next_attempt_at <= ?"
        + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
  }

  /** Status, attempted-at, next-attempt-at, delivered-at (null unless delivered), error (null for none), id. */
  public String recordAttempt() {
    return "UPDATE " + table + " SET status = ?, attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?,"
        + " delivered_at = ?, last_error = ? WHERE id = ?";
  }

  /** Now, PENDING, now: every pending event becomes due at once (someone asked for delivery now). */
  public String allDueNow() {
    return "UPDATE " + table + " SET next_attempt_at = ? WHERE status = ? AND next_attempt_at > ?";
  }

  /** PENDING: the earliest next attempt of a pending event, null when none is pending. */
  public String nextDue() {
    return "SELECT min(next_attempt_at) FROM " + table + " WHERE status = ?";
  }

  /** How many events are in each status. */
  public String countsByStatus() {
    return "SELECT status, count(*) FROM " + table + " GROUP BY status";
  }

  /** PENDING, FAILED, limit: the events not delivered, oldest first, as {@code syncbeam webhooks} lists them. */
  public String undelivered() {
    return "SELECT id, event_id AS event, event_type AS type, customer_id || '/' || provider_name || '/' || object_name AS sync,"
        + " coalesce(run_id::text, '') AS run, status, attempts, created_at, next_attempt_at, coalesce(last_error, '') AS last_error"
        + " FROM " + table + " WHERE status IN (?, ?) ORDER BY id LIMIT ?";
  }

  /** Delivered-before: removes delivered events older than that; pending and failed ones stay. */
  public String pruneDelivered() {
    return "DELETE FROM " + table + " WHERE status = '" + DeliveryStatus.DELIVERED.name() + "' AND delivered_at < ?";
  }
}
