package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What one part of a run did for one sync; parts merge into the run's totals in any order (the
 * merge is associative and commutative, as a Beam combiner needs). {@code error} is set when the
 * sync could not be read completely, which makes the run a failure that sweeps nothing.
 *
 * @param deadLettersWithoutId dead letters whose record id is unknown: a full refresh cannot sweep
 *     by absence, since it cannot tell those records' rows from rows of deleted records
 * @param unreadable dead letters of text that did not parse (a cut-off page, a line that is not
 *     JSON): records may be hidden in them, so the run is incomplete and fails
 * @param coerced values changed to land: unparseable values made NULL, NUL characters stripped,
 *     invalid UTF-8 replaced
 * @param maxLastModifiedMillis the newest last-modified time written, for the watermark
 * @param futureStamped records stamped later than the run's start (plus clock skew): written, but
 *     kept from moving the watermark
 * @param maxFutureMillis the latest such stamp
 * @param replacedUtf8 records whose text held invalid UTF-8, landed with U+FFFD in its place
 * @param replacedUtf8Ids a few of their ids (the smallest {@link #SAMPLE_IDS}), for the run's notes
 * @param apiRequests requests the live API answered for the run (retries included)
 * @param apiBytes bytes of those answers' bodies
 * @param pauseReason set when the provider refused the credentials and a refresh could not fix it: the sync pauses
 */
public record RunCounts(
    long read,
    long written,
    long skipped,
    long deadLetters,
    long deadLettersWithoutId,
    long unreadable,
    long coerced,
    long maxLastModifiedMillis,
    long futureStamped,
    long maxFutureMillis,
    long replacedUtf8,
    List<String> replacedUtf8Ids,
    String error,
    String pauseReason,
    long apiRequests,
    long apiBytes)
    implements Serializable {

  public static final long NO_TIMESTAMP = Long.MIN_VALUE;
  /** How many record ids a run's notes name for one kind of change. */
  public static final int SAMPLE_IDS = 10;
  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, 0, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0);

  public RunCounts {
    replacedUtf8Ids = List.copyOf(replacedUtf8Ids);
  }

  public static RunCounts failed(String error) {
    return ZERO.withError(error, null);
  }

  /** The credentials were refused for good: the run fails and the sync pauses with this reason. */
  public static RunCounts authenticationFailed(String reason) {
    return ZERO.withError(reason, reason);
  }

  public RunCounts plus(RunCounts o) {
    return new RunCounts(read + o.read, written + o.written, skipped + o.skipped, deadLetters + o.deadLetters,
        deadLettersWithoutId + o.deadLettersWithoutId, unreadable + o.unreadable, coerced + o.coerced,
        Math.max(maxLastModifiedMillis, o.maxLastModifiedMillis), futureStamped + o.futureStamped,
        Math.max(maxFutureMillis, o.maxFutureMillis), replacedUtf8 + o.replacedUtf8,
        replacedUtf8Ids.isEmpty() && o.replacedUtf8Ids.isEmpty() ? List.of()
            : smallest(Stream.concat(replacedUtf8Ids.stream(), o.replacedUtf8Ids.stream())),
        firstError(error, o.error), firstError(pauseReason, o.pauseReason), apiRequests + o.apiRequests,
        apiBytes + o.apiBytes);
  }

  /** Skipped when both are empty, as nearly always: plus runs once per record read. */
  private static List<String> smallest(Stream<String> ids) {
    return ids.collect(TreeSet<String>::new, TreeSet::add, TreeSet::addAll).stream().limit(SAMPLE_IDS).toList();
  }

  /** The smaller message, so merging in any order reports the same one. */
  private static String firstError(String a, String b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) <= 0 ? a : b;
  }

  public RunCounts withRead(long n) {
    return plus(new RunCounts(n, 0, 0, 0, 0, 0, 0, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0));
  }

  public RunCounts withSkipped(long n) {
    return plus(new RunCounts(0, 0, n, 0, 0, 0, 0, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0));
  }

  public RunCounts withCoerced(long n) {
    return plus(new RunCounts(0, 0, 0, 0, 0, 0, n, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0));
  }

  public RunCounts withWritten(long n, long maxLastModified) {
    return plus(new RunCounts(0, n, 0, 0, 0, 0, 0, maxLastModified, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0));
  }

  public RunCounts withDeadLetters(long n, long withoutId, long unreadableText) {
    return plus(new RunCounts(0, 0, 0, n, withoutId, unreadableText, 0, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, 0, 0));
  }

  public RunCounts withFutureStamped(long lastModifiedMillis) {
    return plus(new RunCounts(0, 0, 0, 0, 0, 0, 0, NO_TIMESTAMP, 1, lastModifiedMillis, 0, List.of(), null, null, 0, 0));
  }

  /** One record landed with its invalid UTF-8 replaced: a coercion, named in the run's notes. */
  public RunCounts withReplacedUtf8(String recordId) {
    return plus(new RunCounts(0, 0, 0, 0, 0, 0, 1, NO_TIMESTAMP, 0, NO_TIMESTAMP, 1, List.of(recordId), null, null, 0, 0));
  }

  /** What reading cost at the live API: requests answered and bytes received. */
  public static RunCounts apiUsage(long requests, long bytes) {
    return new RunCounts(0, 0, 0, 0, 0, 0, 0, NO_TIMESTAMP, 0, NO_TIMESTAMP, 0, List.of(), null, null, requests, bytes);
  }

  private RunCounts withError(String message, String pause) {
    return new RunCounts(read, written, skipped, deadLetters, deadLettersWithoutId, unreadable, coerced, maxLastModifiedMillis,
        futureStamped, maxFutureMillis, replacedUtf8, replacedUtf8Ids, message, pause, apiRequests, apiBytes);
  }
}
