package dev.syncbeam.schemas;

/**
 * What PostgreSQL's jsonb refuses in JSON text that Java and Jackson accept: a UTF-16 surrogate
 * without its partner, written raw or as a {@code \\uXXXX} escape ("Unicode low surrogate must
 * follow a high surrogate"). Checked before a record reaches COPY, since one refused value fails
 * the whole batch it travels in. ({@code \\u0000}, which jsonb also refuses, is stripped instead.)
 */
public final class JsonbText {
  private JsonbText() {}

  /** Null when jsonb will take the text; otherwise what is wrong and where, for a dead letter. */
  public static String problem(String json) {
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
          i++;
          continue;
        }
        return unpaired(c, i);
      }
      if (Character.isLowSurrogate(c)) return unpaired(c, i);
      if (c == '\\' && i + 1 < json.length()) {
        if (json.charAt(i + 1) != 'u') {
          i++; // an escape like \" or \\: its second character is not the start of another escape
          continue;
        }
        int code = hex(json, i + 2);
        if (code < 0) continue;
        if (Character.isHighSurrogate((char) code)) {
          int next = json.startsWith("\\u", i + 6) ? hex(json, i + 8) : -1;
          if (next < 0 || !Character.isLowSurrogate((char) next)) return unpairedEscape(code, i);
          i += 11;
        } else if (Character.isLowSurrogate((char) code)) {
          return unpairedEscape(code, i);
        } else {
          i += 5;
        }
      }
    }
    return null;
  }

  private static String unpaired(char c, int at) {
    return String.format("unpaired UTF-16 surrogate U+%04X at character %d (PostgreSQL's jsonb cannot hold it)", (int) c, at);
  }

  private static String unpairedEscape(int code, int at) {
    return String.format("unpaired UTF-16 surrogate escape \\u%04x at character %d (PostgreSQL's jsonb cannot hold it)", code, at);
  }

  /** The four hex digits at {@code from} as a number, or -1. */
  private static int hex(String s, int from) {
    if (from + 4 > s.length()) return -1;
    int v = 0;
    for (int k = from; k < from + 4; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }
}
