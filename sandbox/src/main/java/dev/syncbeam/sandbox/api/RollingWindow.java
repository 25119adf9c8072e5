package dev.syncbeam.sandbox.api;

import java.util.ArrayDeque;

/** At most {@code limit} admissions in any {@code window} of time, counted at arrival. */
public final class RollingWindow {
  private final int limit;
  private final long windowNanos;
  private final ArrayDeque<Long> admitted = new ArrayDeque<>();

  public RollingWindow(int limit, long windowNanos) {
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  public int limit() {
    return limit;
  }

  /** Admits one request: the requests still allowed in the window after it, or -1 when the window is full. */
  public synchronized int tryAdmit(long now) {
    while (!admitted.isEmpty() && now - admitted.peekFirst() >= windowNanos) admitted.pollFirst();
    if (admitted.size() >= limit) return -1;
    admitted.addLast(now);
    return limit - admitted.size();
  }

  /** Until the oldest admission leaves the window (0 when there is room). */
  public synchronized long nanosUntilRoom(long now) {
    if (admitted.size() < limit || admitted.isEmpty()) return 0;
    return Math.max(0, admitted.peekFirst() + windowNanos - now);
  }

  /** Until the window is empty again: what a "resets in" header says. */
  public synchronized long nanosUntilReset(long now) {
    return admitted.isEmpty() ? 0 : Math.max(0, admitted.peekLast() + windowNanos - now);
  }
}
