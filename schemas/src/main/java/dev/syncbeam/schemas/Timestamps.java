package dev.syncbeam.schemas;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * Provider timestamps to UTC instants: ISO-8601 with {@code Z} or an offset with or without a
 * colon (Salesforce writes {@code +0000}), zone-less values read as UTC (Pipedrive), date-only
 * values as UTC midnight, and epoch milliseconds. Unparseable values return null.
 */
public final class Timestamps {
  /** The last-modified time given to a record that has none at all; any real version later wins. */
  public static final Instant EPOCH = Instant.EPOCH;

  private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
      .toFormatter();

  private Timestamps() {}

  public static Instant parse(String value) {
    if (value == null) return null;
    String s = value.trim();
    if (s.isEmpty()) return null;
    try {
      if (s.length() == 10 && s.charAt(4) == '-') {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.chars().allMatch(Character::isDigit) && s.length() >= 10 && s.length() <= 13) {
        return Instant.ofEpochMilli(Long.parseLong(s));
      }
      return OffsetDateTime.parse(s, OFFSET).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }

  /** The later of two instants, either of which may be null. */
  public static Instant max(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isAfter(b) ? a : b;
  }

  public static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
