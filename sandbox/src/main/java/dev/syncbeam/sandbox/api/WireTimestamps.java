package dev.syncbeam.sandbox.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Each provider's own timestamp text on the wire, all UTC. */
public final class WireTimestamps {
  private static final DateTimeFormatter SALESFORCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter PIPEDRIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private WireTimestamps() {}

  /** {@code 2026-05-01T07:25:37.000+0000} */
  public static String salesforce(Instant t) {
    return SALESFORCE.format(t);
  }

  public static Instant parseSalesforce(String s) {
    return OffsetDateTime.parse(s, SALESFORCE).toInstant();
  }

  /** {@code 2024-12-24T17:31:54.727Z}: HubSpot, Pipedrive leads, and Salesforce Bulk CSV datetimes. */
  public static String isoMillis(Instant t) {
    return ISO_MILLIS.format(t);
  }

  /** {@code 2026-05-15 10:11:04}, zone-less UTC. */
  public static String pipedrive(Instant t) {
    return PIPEDRIVE.format(t);
  }

  public static Instant parsePipedrive(String s) {
    return LocalDateTime.parse(s.trim(), PIPEDRIVE.withZone(null)).toInstant(ZoneOffset.UTC);
  }

  public static String date(Instant t) {
    return DATE.format(t);
  }
}
