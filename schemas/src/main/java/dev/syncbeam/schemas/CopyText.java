package dev.syncbeam.schemas;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Encodes values in PostgreSQL's COPY text format (tab-separated, {@code \N} for NULL, backslash
 * escapes). Rows are encoded once, where records are normalized, and streamed to COPY as is.
 */
public final class CopyText {
  private CopyText() {}

  public static StringBuilder appendNull(StringBuilder sb) {
    return sb.append("\\N");
  }

  public static StringBuilder appendText(StringBuilder sb, String value) {
    if (value == null) return appendNull(sb);
    // each special character is found with indexOf, a vectorized search, rather than by testing every
    // character of a 1.5 KB payload; next[k] is where SPECIAL[k] occurs next (or past the end)
    int n = value.length();
    int[] next = new int[SPECIAL.length];
    for (int k = 0; k < SPECIAL.length; k++) next[k] = nextOf(value, SPECIAL[k], 0);
    int clean = 0; // start of the run of characters that need no escaping
    while (true) {
      int k = 0;
      for (int j = 1; j < next.length; j++) if (next[j] < next[k]) k = j;
      int at = next[k];
      if (at >= n) break;
      sb.append(value, clean, at).append(ESCAPED[k]);
      clean = at + 1;
      next[k] = nextOf(value, SPECIAL[k], clean);
    }
    return sb.append(value, clean, n);
  }

  private static final char[] SPECIAL = {'\\', '\t', '\n', '\r', '\0'};
  /** What each special character is written as; PostgreSQL text cannot hold NUL, so it is dropped. */
  private static final String[] ESCAPED = {"\\\\", "\\t", "\\n", "\\r", ""};

  private static int nextOf(String value, char c, int from) {
    int at = value.indexOf(c, from);
    return at < 0 ? Integer.MAX_VALUE : at;
  }

  public static StringBuilder appendTimestamp(StringBuilder sb, Instant value) {
    if (value == null) return appendNull(sb);
    LocalDateTime t = LocalDateTime.ofInstant(value, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 1 || year > 9999) return appendNull(sb);
    pad(sb, year, 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2).append('.');
    return pad(sb, t.getNano() / 1_000_000, 3);
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) sb.append('0');
    return sb.append(s);
  }

  public static StringBuilder appendBoolean(StringBuilder sb, Boolean value) {
    return value == null ? appendNull(sb) : sb.append(value ? 't' : 'f');
  }

  public static StringBuilder appendNumber(StringBuilder sb, Number value) {
    return value == null ? appendNull(sb) : sb.append(value);
  }

  /** Encodes one value by the column's type; values are already of the Java type the column holds. */
  public static StringBuilder appendValue(StringBuilder sb, ColumnType type, Object value) {
    if (value == null) return appendNull(sb);
    return switch (type) {
      case TEXT, JSONB -> appendText(sb, value.toString());
      case TIMESTAMP -> appendTimestamp(sb, (Instant) value);
      case BOOLEAN -> appendBoolean(sb, (Boolean) value);
      case INTEGER, BIGINT, DOUBLE -> appendNumber(sb, (Number) value);
    };
  }

  /** One COPY line (with its newline) for a row whose values follow the table's column order. */
  public static String line(TableDefinition table, Object[] values) {
    if (values.length != table.columns().size()) {
      throw new IllegalArgumentException("row for " + table.name() + " has " + values.length + " values, table has "
          + table.columns().size() + " columns");
    }
    StringBuilder sb = new StringBuilder(256);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) sb.append('\t');
      appendValue(sb, table.columns().get(i).type(), values[i]);
    }
    return sb.append('\n').toString();
  }

  /** The text of field {@code index} (0-based) of one COPY line, unescaped; null for {@code \N}. */
  public static String field(String line, int index) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      start = line.indexOf('\t', start) + 1;
      if (start == 0) throw new IllegalArgumentException("COPY line has fewer than " + (index + 1) + " fields");
    }
    int end = line.indexOf('\t', start);
    if (end < 0) end = line.endsWith("\n") ? line.length() - 1 : line.length();
    String raw = line.substring(start, end);
    if (raw.equals("\\N")) return null;
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 == raw.length()) {
        sb.append(c);
        continue;
      }
      char e = raw.charAt(++i);
      sb.append(switch (e) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case 'r' -> '\r';
        default -> e;
      });
    }
    return sb.toString();
  }

  /** Fields {@code indexes} (0-based, any order) of one COPY line as they stand, still escaped, joined by tabs. */
  public static String rawFields(String line, int[] indexes) {
    int last = 0;
    for (int f : indexes) last = Math.max(last, f);
    int end = line.endsWith("\n") ? line.length() - 1 : line.length();
    // starts[i] is where field i begins and starts[i + 1] - 1 where it ends; found with indexOf, a
    // vectorized search, since the fields after the payload sit behind 1.5 KB of JSON
    int[] starts = new int[last + 2];
    for (int i = 0; i <= last; i++) {
      int tab = line.indexOf('\t', starts[i]);
      if (tab >= 0 && tab < end) {
        starts[i + 1] = tab + 1;
      } else if (i == last) {
        starts[i + 1] = end + 1;
      } else {
        throw new IllegalArgumentException("COPY line has fewer than " + (last + 1) + " fields");
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < indexes.length; k++) {
      if (k > 0) sb.append('\t');
      sb.append(line, starts[indexes[k]], starts[indexes[k] + 1] - 1);
    }
    return sb.toString();
  }
}
