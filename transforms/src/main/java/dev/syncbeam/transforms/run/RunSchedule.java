package dev.syncbeam.transforms.run;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@code syncbeam stream} runs a sync next: one period after its last run started, and after
 * failures twice as long per failure in a row, capped, so a provider that is down is not hammered
 * while the other syncs go on at their pace.
 */
public final class RunSchedule {
  /** The longest a failing sync waits between attempts (or its period, when that is longer). */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

  private RunSchedule() {}

  /** Null {@code lastStart} (never run) or a requested full refresh means due now. */
  public static Instant nextDue(Instant lastStart, Duration period, int failuresInARow) {
    if (lastStart == null) return Instant.EPOCH;
    return lastStart.plus(delay(period, failuresInARow));
  }

  public static Duration delay(Duration period, int failuresInARow) {
    if (failuresInARow <= 0) return period;
    Duration cap = period.compareTo(MAX_BACKOFF) > 0 ? period : MAX_BACKOFF;
    Duration d = period.multipliedBy(1L << Math.min(failuresInARow, 16));
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
