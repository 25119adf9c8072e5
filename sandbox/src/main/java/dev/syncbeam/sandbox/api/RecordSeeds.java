package dev.syncbeam.sandbox.api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * The deterministic inputs of one (tenant, object)'s seeded records, each a pure function of
 * the record's 1-based index: its Random, its modification time and its flags. Modification
 * times rise strictly with the index (record n falls in its own slot of {@code step} ticks), so
 * a modified-since filter is an index range and id order is also modification order.
 */
public final class RecordSeeds {
  /** Seeded history spans at most this long, so large datasets stay in the past. */
  private static final Duration SPAN = Duration.ofDays(180);
  private static final long MAX_STEP_SECONDS = 600;

  private final long seed;
  private final Instant epoch;
  private final ChronoUnit resolution;
  private final long step;
  private final int count;

  public RecordSeeds(long tenantSeed, String object, Instant epoch, ChronoUnit resolution, int count) {
    this.seed = mix(tenantSeed * 0x9E3779B97F4A7C15L + object.hashCode());
    this.epoch = epoch;
    this.resolution = resolution;
    this.count = count;
    long maxStep = MAX_STEP_SECONDS * Duration.of(1, ChronoUnit.SECONDS).dividedBy(Duration.of(1, resolution));
    long spanTicks = SPAN.dividedBy(Duration.of(1, resolution));
    this.step = Math.max(2, Math.min(maxStep, spanTicks / Math.max(1, count)));
  }

  public int count() {
    return count;
  }

  /** The Random record {@code n}'s values are drawn from. */
  public Random random(long n) {
    return new Random(hash(n, 1));
  }

  /** Strictly increasing in {@code n}: somewhere in ((n-1)*step, n*step] ticks after the epoch. */
  public Instant modified(long n) {
    long ticks = (n - 1) * step + 1 + Math.floorMod(hash(n, 2), step);
    return epoch.plus(ticks, resolution);
  }

  /** The last seeded modification time: writes are stamped after it. */
  public Instant lastModified() {
    return count == 0 ? epoch : modified(count);
  }

  /** True for about one record in {@code k}, the same records every run (deleted, archived, inactive). */
  public boolean oneIn(long n, int k) {
    return Math.floorMod(hash(n, 3), k) == 0;
  }

  private long hash(long n, int stream) {
    return mix(seed + n * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL);
  }

  /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
