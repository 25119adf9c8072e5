package dev.syncbeam.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@link ObjectTables#CONTENT_HASH} of a row: the first 64 bits of SHA-256 over the COPY text of
 * every column but the run stamp and the hash itself. Equal hashes mean equal rows (a chance
 * collision is about 2^-64 per changed record); the provider's modification time is part of the
 * content, so a record the provider touched is rewritten even when nothing else moved.
 */
public final class ContentHash {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  });

  private ContentHash() {}

  /** Fills the hash column of {@code values} (in the table's column order), if the table has one. */
  public static void set(TableDefinition table, Object[] values) {
    if (!table.hasColumn(ObjectTables.CONTENT_HASH)) return;
    int hashAt = table.indexOf(ObjectTables.CONTENT_HASH);
    values[hashAt] = of(table, values);
  }

  static long of(TableDefinition table, Object[] values) {
    return digest(hashedText(table, values, new int[values.length], new int[values.length]));
  }

  /**
   * The COPY line of a row (as {@link CopyText#line}) with its hash column filled from the other
   * values. Each value is escaped once, for the hashed text, and the line is cut from that text:
   * escaping a 1.5 KB payload twice was a tenth of a re-sync's CPU.
   */
  public static String line(TableDefinition table, Object[] values) {
    if (!table.hasColumn(ObjectTables.CONTENT_HASH) || values.length != table.columns().size()) {
      ContentHash.set(table, values);
      return CopyText.line(table, values); // which names a values/columns mismatch
    }
    int[] start = new int[values.length], end = new int[values.length];
    StringBuilder hashed = hashedText(table, values, start, end);
    values[table.indexOf(ObjectTables.CONTENT_HASH)] = digest(hashed);
    StringBuilder line = new StringBuilder(hashed.length() + 48);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) line.append('\t');
      if (start[i] < 0) {
        CopyText.appendValue(line, table.columns().get(i).type(), values[i]); // the run stamp or the hash
      } else {
        line.append(hashed, start[i], end[i]);
      }
    }
    return line.append('\n').toString();
  }

  /**
   * The hashed text: every column's COPY text but the run stamp's and the hash's, each followed by a
   * tab. Column i's text is {@code [start[i], end[i])} of it; start is -1 for the two left out.
   */
  private static StringBuilder hashedText(TableDefinition table, Object[] values, int[] start, int[] end) {
    StringBuilder sb = new StringBuilder(512);
    for (int i = 0; i < values.length; i++) {
      String name = table.columns().get(i).name();
      if (name.equals(ObjectTables.CONTENT_HASH) || name.equals(table.emittedAtColumn())) {
        start[i] = -1;
        continue;
      }
      start[i] = sb.length();
      CopyText.appendValue(sb, table.columns().get(i).type(), values[i]);
      end[i] = sb.length();
      sb.append('\t');
    }
    return sb;
  }

  private static long digest(StringBuilder text) {
    MessageDigest sha = SHA256.get();
    byte[] digest = sha.digest(text.toString().getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
  }
}
