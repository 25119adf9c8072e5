package dev.syncbeam.transforms;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on records read but not yet finished (dropped by Normalize, or committed by the sink) in
 * this JVM. The Direct runner has no backpressure of its own: without this, reading, which is
 * faster than Postgres, would pile the whole extract up in memory. Readers yield while the window
 * is full. Where reader and sink do not share a JVM, nothing is ever released here, so after a few
 * quiet seconds the bound stops applying rather than stalling the read.
 */
public final class ReadBackpressure {
  /** Records in flight before readers yield: about 150 MB of 1.5 KB records, held twice (payload and COPY line). */
  public static final long WINDOW = 50_000;
  private static final long QUIET_NANOS = 5_000_000_000L;
  private static final AtomicLong IN_FLIGHT = new AtomicLong();
  private static final AtomicLong LAST_RELEASE = new AtomicLong();

  private ReadBackpressure() {}

  public static void acquire(long records) {
    IN_FLIGHT.addAndGet(records);
    // the quiet clock starts with the first read, so the window holds before the first commit too
    LAST_RELEASE.compareAndSet(0, System.nanoTime());
  }

  public static void release(long records) {
    IN_FLIGHT.addAndGet(-records);
    LAST_RELEASE.set(System.nanoTime());
  }

  /** True when a reader should pause: the window is full and records are still being finished here. */
  public static boolean shouldYield() {
    return IN_FLIGHT.get() > WINDOW && System.nanoTime() - LAST_RELEASE.get() < QUIET_NANOS;
  }
}
