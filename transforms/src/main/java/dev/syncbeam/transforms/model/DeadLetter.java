package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record that could not be read, normalized or written: kept with its payload and the reason.
 * {@code unreadable} marks text that did not parse at all (a cut-off page, a line that is not JSON):
 * it may hold records the run then never saw, so the run cannot be complete.
 */
public record DeadLetter(String syncLabel, String recordId, String error, String payload, boolean unreadable)
    implements Serializable {
  /** Payloads are kept whole up to this size; a larger one (a whole broken page) is cut and says so. */
  public static final int MAX_PAYLOAD_CHARS = 1 << 20;

  public static DeadLetter of(String syncLabel, String recordId, String error, String payload) {
    return new DeadLetter(syncLabel, recordId, error, cut(payload), false);
  }

  /** Text that did not parse: whatever records it held are unknown. */
  public static DeadLetter unreadable(String syncLabel, String error, String payload) {
    return new DeadLetter(syncLabel, null, error, cut(payload), true);
  }

  private static String cut(String payload) {
    if (payload == null || payload.length() <= MAX_PAYLOAD_CHARS) return payload;
    return payload.substring(0, MAX_PAYLOAD_CHARS) + "\n... [cut: " + payload.length() + " characters in all]";
  }

  /**
   * The same for the same bad record in the same sync, whichever bundle attempt produced it: the
   * dead-letter table keeps one row per fingerprint and run.
   */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {syncLabel, recordId, error, payload}) {
        sha.update(part == null ? new byte[] {0} : part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 1);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
