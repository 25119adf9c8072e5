package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One read's result set, fixed when the read starts (as a provider's cursor is): seeded records
 * of an index range, generated when a page asks for them, plus the written records as they were
 * then. A page costs its size plus a search over the writes, whatever the table's size.
 */
public final class RecordView {
  private final ObjectTable.Seeded seeded;
  private final ObjectTable.DeletionIndex deletions;
  private final long lo, hi;
  private final Deletion deletion;
  /** Written seeded indices in [lo, hi] whose seeded state matches: their seeded version is not in the view. */
  private final long[] excluded;
  private final long[] writtenIndex;
  private final List<ObjectNode> written;
  /** True: seeded and written records merge by index (id order); false: every seeded record comes first. */
  private final boolean merged;
  private final long seededSize;
  private final long limit;

  RecordView(ObjectTable.Seeded seeded, ObjectTable.DeletionIndex deletions, long lo, long hi, Deletion deletion, List<Long> excluded,
      List<Long> writtenIndex, List<ObjectNode> written, boolean merged) {
    this(seeded, deletions, lo, hi, deletion, toArray(excluded), toArray(writtenIndex), written, merged, Long.MAX_VALUE);
  }

  private RecordView(ObjectTable.Seeded seeded, ObjectTable.DeletionIndex deletions, long lo, long hi, Deletion deletion, long[] excluded,
      long[] writtenIndex, List<ObjectNode> written, boolean merged, long limit) {
    this.seeded = seeded;
    this.deletions = deletions;
    this.lo = lo;
    this.hi = hi;
    this.deletion = deletion;
    this.excluded = excluded;
    this.writtenIndex = writtenIndex;
    this.written = written;
    this.merged = merged;
    this.limit = limit;
    this.seededSize = seededUpTo(hi);
  }

  /** An already materialised result, for reads the index ranges cannot express. */
  public static RecordView of(List<ObjectNode> records) {
    long[] none = new long[records.size()];
    return new RecordView(null, null, 1, 0, Deletion.ANY, new long[0], none, List.copyOf(records), false, Long.MAX_VALUE);
  }

  /** The first {@code n} records only (SOQL LIMIT). */
  public RecordView limit(long n) {
    return new RecordView(seeded, deletions, lo, hi, deletion, excluded, writtenIndex, written, merged, Math.min(limit, n));
  }

  public int size() {
    return (int) Math.min(limit, seededSize + written.size());
  }

  /** Records {@code offset} .. {@code offset + count - 1} of the view (fewer at its end), as copies. */
  public List<ObjectNode> page(int offset, int count) {
    int end = (int) Math.min(size(), (long) offset + Math.max(0, count));
    if (offset >= end) return Collections.emptyList();
    List<ObjectNode> out = new ArrayList<>(end - offset);
    if (!merged) {
      int pos = offset;
      if (pos < seededSize) {
        long n = selectSeeded(pos);
        for (; pos < end && pos < seededSize; pos++, n = nextSeeded(n)) out.add(seeded.record(n));
      }
      for (; pos < end; pos++) out.add(written.get((int) (pos - seededSize)).deepCopy());
      return out;
    }
    // written record j sits at position seededUpTo(its index) + j; the seeded ones fill the gaps
    int j = 0;
    while (j < written.size() && seededUpTo(writtenIndex[j]) + j < offset) j++;
    long seededBefore = offset - j;
    long n = seededBefore < seededSize ? selectSeeded(seededBefore) : Long.MAX_VALUE;
    for (int pos = offset; pos < end; pos++) {
      if (j < written.size() && writtenIndex[j] < n) {
        out.add(written.get(j++).deepCopy());
      } else {
        out.add(seeded.record(n));
        n = nextSeeded(n);
      }
    }
    return out;
  }

  /** Seeded records of the view with index <= x. */
  private long seededUpTo(long x) {
    long top = Math.min(x, hi);
    if (top < lo || seeded == null) return 0;
    return deletions.count(deletion, lo, top) - countUpTo(excluded, top);
  }

  /** The index of the k-th (0-based) seeded record of the view. */
  private long selectSeeded(long k) {
    long a = lo, b = hi;
    while (a < b) {
      long mid = (a + b) >>> 1;
      if (seededUpTo(mid) >= k + 1) b = mid;
      else a = mid + 1;
    }
    return a;
  }

  private long nextSeeded(long n) {
    for (long m = n + 1; m <= hi; m++) {
      if (deletion.accepts(deletions.deleted(m)) && Arrays.binarySearch(excluded, m) < 0) return m;
    }
    return Long.MAX_VALUE;
  }

  private static long countUpTo(long[] sorted, long x) {
    int i = Arrays.binarySearch(sorted, x);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private static long[] toArray(List<Long> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i);
    return out;
  }
}
