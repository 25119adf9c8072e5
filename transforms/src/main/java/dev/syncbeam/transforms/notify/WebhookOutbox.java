package dev.syncbeam.transforms.notify;

import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.bookkeeping.DeliveryStatus;
import dev.syncbeam.schemas.bookkeeping.WebhookOutboxTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads and writes of the webhook outbox, in the caller's transaction; the SQL is in
 * {@link WebhookOutboxTable}. Events are enqueued by whoever commits what they report (the end of
 * a run, a pause) and taken out again by the {@link WebhookDeliverer}.
 */
public final class WebhookOutbox {
  private final WebhookOutboxTable table;

  public WebhookOutbox(String schema) {
    this.table = new WebhookOutboxTable(schema);
  }

  /** Records the event, due at once; an event already recorded is left as it is. */
  public void enqueue(Connection c, WebhookEvent event) throws SQLException {
    Instant now = Instant.now();
    try (PreparedStatement ps = c.prepareStatement(table.insert())) {
      ps.setString(1, event.eventId());
      ps.setString(2, event.type().value());
      ps.setString(3, event.key().applicationId());
      ps.setString(4, event.key().provider());
      ps.setString(5, event.key().customerId());
      ps.setString(6, event.key().object());
      if (event.runId() == null) ps.setNull(7, Types.BIGINT);
      else ps.setLong(7, event.runId());
      ps.setString(8, event.body());
      ps.setString(9, DeliveryStatus.PENDING.name());
      Timestamps.bind(ps, 10, now);
      Timestamps.bind(ps, 11, now);
      ps.executeUpdate();
    }
  }

  /** Whether the outbox exists in this destination (it does once the schema is migrated). */
  public boolean exists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.exists()); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** How many events are in each status (every status present, zero when none, and all zero where there is no outbox yet). */
  public Map<DeliveryStatus, Long> counts(Connection c) throws SQLException {
    Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
    for (DeliveryStatus s : DeliveryStatus.values()) counts.put(s, 0L);
    if (!exists(c)) return counts; // a read must not fail, or abort the caller's transaction, on a table still to come
    try (PreparedStatement ps = c.prepareStatement(table.countsByStatus()); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) counts.put(DeliveryStatus.valueOf(rs.getString(1)), rs.getLong(2));
    }
    return counts;
  }

  /** One line for {@code syncbeam status}: "webhooks: 1 pending, 0 failed, 12 delivered". */
  public static String summary(Map<DeliveryStatus, Long> counts) {
    return "webhooks: " + counts.get(DeliveryStatus.PENDING) + " pending, " + counts.get(DeliveryStatus.FAILED) + " failed, "
        + counts.get(DeliveryStatus.DELIVERED) + " delivered";
  }

  /** The events not delivered (pending, then failed ones too), oldest first; the caller reads the rows. */
  public PreparedStatement undelivered(Connection c, int limit) throws SQLException {
    PreparedStatement ps = c.prepareStatement(table.undelivered());
    ps.setString(1, DeliveryStatus.PENDING.name());
    ps.setString(2, DeliveryStatus.FAILED.name());
    ps.setInt(3, limit);
    return ps;
  }

  /** An event a deliverer holds (its row is locked until the transaction ends). */
  record Claimed(long id, String eventId, String body, int attempts, Instant createdAt) {}

  /** The next event due at {@code now} that no other deliverer holds, locked; null when there is none. */
  Claimed claimDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.claimDue())) {
      ps.setString(1, DeliveryStatus.PENDING.name());
      Timestamps.bind(ps, 2, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        return new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), Timestamps.read(rs, 5));
      }
    }
  }

  void delivered(Connection c, Claimed e, Instant at) throws SQLException {
    recordAttempt(c, e, DeliveryStatus.DELIVERED, at, at, at, null);
  }

  void retryAt(Connection c, Claimed e, Instant at, Instant next, String error) throws SQLException {
    recordAttempt(c, e, DeliveryStatus.PENDING, at, next, null, error);
  }

  void failed(Connection c, Claimed e, Instant at, String error) throws SQLException {
    recordAttempt(c, e, DeliveryStatus.FAILED, at, at, null, error);
  }

  private void recordAttempt(Connection c, Claimed e, DeliveryStatus status, Instant at, Instant next, Instant deliveredAt,
      String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.recordAttempt())) {
      ps.setString(1, status.name());
      Timestamps.bind(ps, 2, at);
      Timestamps.bind(ps, 3, next);
      Timestamps.bind(ps, 4, deliveredAt);
      ps.setString(5, error);
      ps.setLong(6, e.id());
      ps.executeUpdate();
    }
  }

  /** Removes the events delivered before {@code before}; returns how many. */
  public int pruneDelivered(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.pruneDelivered())) {
      Timestamps.bind(ps, 1, before);
      return ps.executeUpdate();
    }
  }

  /** Makes every pending event due now; returns how many were waiting for a later attempt. */
  int allDueNow(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.allDueNow())) {
      Timestamps.bind(ps, 1, now);
      ps.setString(2, DeliveryStatus.PENDING.name());
      Timestamps.bind(ps, 3, now);
      return ps.executeUpdate();
    }
  }

  /** When the next pending event is due, or null when none is pending. */
  Instant nextDue(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.nextDue())) {
      ps.setString(1, DeliveryStatus.PENDING.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Timestamps.read(rs, 1);
      }
    }
  }
}
