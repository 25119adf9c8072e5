package dev.syncbeam.transforms.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: exponential backoff from {@code initial}, doubling up to
 * {@code cap}, with jitter (each wait is between half and all of its step, so receivers coming back
 * are not hit by every sender at once), and no more attempts once {@code giveUpAfter} has passed
 * since the event was recorded. Computed from the attempt count rather than held in a Beam
 * FluentBackoff, because the schedule must survive the process that made it.
 */
public record RetrySchedule(Duration initial, Duration cap, Duration giveUpAfter) {
  public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofDays(3));

  /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
  public Duration delayAfter(int attempts) {
    long step = initial.toMillis();
    for (int i = 1; i < attempts && step < cap.toMillis(); i++) step *= 2;
    step = Math.min(step, cap.toMillis());
    return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
  }

  /** Whether an event recorded at {@code createdAt} gets no further attempt after one failing at {@code now}. */
  public boolean givesUp(Instant createdAt, Instant now) {
    return !now.isBefore(createdAt.plus(giveUpAfter));
  }
}
