package dev.syncbeam.transforms.model;

import java.io.Serializable;

/**
 * What one part of a run did for one sync; parts merge into the run's totals. {@code error} is set
 * when the sync could not be read completely, which makes the run a failure that sweeps nothing.
 */
public record RunCounts(
    long read,
    long written,
    long skipped,
    long deadLetters,
    long deadLettersWithoutId,
    long coerced,
    long maxLastModifiedMillis,
    String error,
    /** Set when the provider refused the credentials and a refresh could not fix it: the sync pauses. */
    String pauseReason)
    implements Serializable {

  public static final long NO_TIMESTAMP = Long.MIN_VALUE;
  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, NO_TIMESTAMP, null, null);

  public static RunCounts failed(String error) {
    return new RunCounts(0, 0, 0, 0, 0, 0, NO_TIMESTAMP, error, null);
  }

  /** The credentials were refused for good: the run fails and the sync pauses with this reason. */
  public static RunCounts authenticationFailed(String reason) {
    return new RunCounts(0, 0, 0, 0, 0, 0, NO_TIMESTAMP, reason, reason);
  }

  public RunCounts plus(RunCounts o) {
    return new RunCounts(read + o.read, written + o.written, skipped + o.skipped, deadLetters + o.deadLetters,
        deadLettersWithoutId + o.deadLettersWithoutId, coerced + o.coerced,
        Math.max(maxLastModifiedMillis, o.maxLastModifiedMillis), firstError(error, o.error), firstError(pauseReason, o.pauseReason));
  }

  /** The smaller message, so merging in any order reports the same one. */
  private static String firstError(String a, String b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) <= 0 ? a : b;
  }

  public RunCounts withRead(long n) { return new RunCounts(read + n, written, skipped, deadLetters, deadLettersWithoutId, coerced, maxLastModifiedMillis, error, pauseReason); }
  public RunCounts withSkipped(long n) { return new RunCounts(read, written, skipped + n, deadLetters, deadLettersWithoutId, coerced, maxLastModifiedMillis, error, pauseReason); }
  public RunCounts withCoerced(long n) { return new RunCounts(read, written, skipped, deadLetters, deadLettersWithoutId, coerced + n, maxLastModifiedMillis, error, pauseReason); }

  public RunCounts withWritten(long n, long maxLm) {
    return new RunCounts(read, written + n, skipped, deadLetters, deadLettersWithoutId, coerced, Math.max(maxLastModifiedMillis, maxLm), error, pauseReason);
  }

  public RunCounts withDeadLetters(long n, long withoutId) {
    return new RunCounts(read, written, skipped, deadLetters + n, deadLettersWithoutId + withoutId, coerced, maxLastModifiedMillis, error, pauseReason);
  }
}
