package dev.syncbeam.transforms.model;

import java.io.Serializable;

/** A record that could not be read or normalized: kept with its payload and the reason (invariant 7). */
public record DeadLetter(String syncLabel, String recordId, String error, String payload) implements Serializable {
  /** Payloads are kept whole up to this size; a larger one (a whole broken page) is cut and says so. */
  public static final int MAX_PAYLOAD_CHARS = 1 << 20;

  public static DeadLetter of(String syncLabel, String recordId, String error, String payload) {
    String p = payload;
    if (p != null && p.length() > MAX_PAYLOAD_CHARS) {
      p = p.substring(0, MAX_PAYLOAD_CHARS) + "\n... [cut: " + payload.length() + " characters in all]";
    }
    return new DeadLetter(syncLabel, recordId, error, p);
  }
}
