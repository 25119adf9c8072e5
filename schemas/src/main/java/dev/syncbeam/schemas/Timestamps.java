package dev.syncbeam.schemas;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
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
 * values as UTC midnight, and epoch milliseconds. Unparseable values return null, and so do values
 * a {@code timestamp(3)} column written as COPY text cannot hold (years before 1 or after 9999).
 *
 * <p>Every timestamp SyncBeam binds or reads goes through {@link #bind} and {@link #read}: the
 * columns hold UTC wall-clock time, and going through {@code java.sql.Timestamp} would reinterpret
 * it in the JVM's zone (a time inside that zone's DST gap silently moves by an hour).
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
    Instant canonical = canonical(s);
    return canonical != null ? canonical : parseWithFormatter(s);
  }

  /**
   * {@code 2024-05-01T12:30:00.123Z} or {@code 2024-05-01 12:30:00} (UTC), what the providers send
   * in nearly every record, read without the formatter, whose optional sections copy its parse
   * state for each value (a tenth of a first load's CPU). Null for anything else, and for values the
   * formatter resolves its own way (24:00, February 30), which it then reads as before.
   */
  static Instant canonical(String s) {
    int n = s.length();
    char last = s.charAt(n - 1);
    int end = last == 'Z' || last == 'z' ? n - 1 : n;
    if (end < 19 || end > 29 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    char t = s.charAt(10);
    if (t != 'T' && t != 't' && t != ' ') return null;
    int nanos = 0;
    if (end > 19) {
      if (s.charAt(19) != '.' || end == 20) return null;
      nanos = digits(s, 20, end);
      if (nanos < 0) return null;
      for (int k = end - 20; k < 9; k++) nanos *= 10;
    }
    int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
    int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) return null;
    try {
      return inColumnRange(LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC)
          .truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The ASCII digits {@code [from, to)} as a number, or -1. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Every accepted shape, through the formatter; {@code s} is trimmed and not empty. */
  static Instant parseWithFormatter(String s) {
    try {
      if (s.length() == 10 && s.charAt(4) == '-') {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.chars().allMatch(Character::isDigit) && s.length() >= 10 && s.length() <= 13) {
        return Instant.ofEpochMilli(Long.parseLong(s));
      }
      return inColumnRange(OffsetDateTime.parse(s, OFFSET).toInstant().truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }

  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant AFTER_LAST = Instant.parse("+10000-01-01T00:00:00Z");

  /** The instant, or null when a timestamp(3) column cannot hold it as SyncBeam writes it. */
  public static Instant inColumnRange(Instant t) {
    return t == null || t.isBefore(FIRST) || !t.isBefore(AFTER_LAST) ? null : t;
  }

  /** Binds a UTC instant to a {@code timestamp without time zone} parameter, whatever the JVM's zone. */
  public static void bind(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, utc(instant));
  }

  /** Reads a {@code timestamp without time zone} column holding UTC, whatever the JVM's zone. */
  public static Instant read(ResultSet rs, int index) throws SQLException {
    LocalDateTime t = rs.getObject(index, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  public static Instant read(ResultSet rs, String column) throws SQLException {
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
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
