package dev.syncbeam.transforms.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a stream runs a sync next: its period after the last start, doubled per failure in a row, capped. */
class RunScheduleTest {
  private static final Instant START = Instant.parse("2024-01-01T12:00:00Z");

  @Test
  void aSyncNeverRunIsDueAtOnce() {
    assertEquals(Instant.EPOCH, RunSchedule.nextDue(null, Duration.ofMinutes(5), 0));
    assertEquals(Instant.EPOCH, RunSchedule.nextDue(null, Duration.ofMinutes(5), 3));
  }

  @Test
  void withoutFailuresTheNextRunIsOnePeriodAfterTheLastStart() {
    assertEquals(START.plusSeconds(300), RunSchedule.nextDue(START, Duration.ofMinutes(5), 0));
  }

  @Test
  void eachFailureInARowDoublesTheWaitUpToTheCap() {
    List<Duration> waits = new ArrayList<>();
    for (int failures = 0; failures <= 5; failures++) waits.add(RunSchedule.delay(Duration.ofMinutes(5), failures));
    assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), RunSchedule.MAX_BACKOFF,
        RunSchedule.MAX_BACKOFF, RunSchedule.MAX_BACKOFF), waits);
    assertEquals(START.plus(Duration.ofMinutes(20)), RunSchedule.nextDue(START, Duration.ofMinutes(5), 2));
  }

  @Test
  void aLongRunOfFailuresStaysAtTheCap() {
    // the doubling must not overflow into a short (or negative) wait
    assertEquals(RunSchedule.MAX_BACKOFF, RunSchedule.delay(Duration.ofSeconds(2), 1_000));
    assertEquals(START.plus(RunSchedule.MAX_BACKOFF), RunSchedule.nextDue(START, Duration.ofSeconds(2), Integer.MAX_VALUE));
  }

  @Test
  void aPeriodLongerThanTheCapIsNeverShortenedNorLengthened() {
    assertEquals(Duration.ofHours(2), RunSchedule.delay(Duration.ofHours(2), 0));
    assertEquals(Duration.ofHours(2), RunSchedule.delay(Duration.ofHours(2), 4));
  }
}
