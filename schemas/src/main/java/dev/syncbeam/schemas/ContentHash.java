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
    StringBuilder sb = new StringBuilder(512);
    for (int i = 0; i < values.length; i++) {
      String name = table.columns().get(i).name();
      if (name.equals(ObjectTables.CONTENT_HASH) || name.equals(table.emittedAtColumn())) continue;
      CopyText.appendValue(sb, table.columns().get(i).type(), values[i]).append('\t');
    }
    MessageDigest sha = SHA256.get();
    byte[] digest = sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
  }
}
