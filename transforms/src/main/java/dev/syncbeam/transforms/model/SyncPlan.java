package dev.syncbeam.transforms.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every sync run of one pipeline (or one stream tick), looked up by run key; DoFns carry it by value.
 *
 * <p>Immutable, and serialized as its id plus the runs' bytes, encoded once: the Direct runner
 * re-serializes and re-reads every ParDo for each bundle, which with thousands of runs per plan cost
 * more than the syncs themselves. A JVM that already holds the plan of that id (the driver, a worker
 * after its first bundle) takes that instance instead of decoding the bytes again.
 */
public final class SyncPlan implements Serializable {
  private static final long serialVersionUID = 2L;
  /** Plans this JVM has built or decoded, by id; weak, so a finished pipeline's plan can go. */
  private static final Map<UUID, WeakReference<SyncPlan>> KNOWN = new ConcurrentHashMap<>();

  private final transient UUID id;
  private final transient LinkedHashMap<String, PlannedSync> byLabel = new LinkedHashMap<>();
  private transient volatile byte[] encoded;

  public SyncPlan(List<PlannedSync> syncs) {
    this(UUID.randomUUID(), syncs);
  }

  private SyncPlan(UUID id, List<PlannedSync> syncs) {
    this.id = id;
    for (PlannedSync s : syncs) {
      if (byLabel.put(s.runKey(), s) != null) throw new IllegalArgumentException("sync " + s.label() + " is configured twice");
    }
  }

  public PlannedSync get(String runKey) {
    PlannedSync s = byLabel.get(runKey);
    if (s == null) throw new IllegalStateException("no planned run " + runKey);
    return s;
  }

  public List<PlannedSync> syncs() {
    return List.copyOf(byLabel.values());
  }

  public boolean isEmpty() {
    return byLabel.isEmpty();
  }

  private byte[] encoded() {
    byte[] bytes = encoded;
    if (bytes != null) return bytes;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(new ArrayList<>(byLabel.values()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize the sync plan", e);
    }
    encoded = bytes = buffer.toByteArray();
    return bytes;
  }

  private Object writeReplace() {
    remember(this);
    return new Encoded(id, encoded());
  }

  private static void remember(SyncPlan plan) {
    KNOWN.values().removeIf(ref -> ref.get() == null);
    KNOWN.putIfAbsent(plan.id, new WeakReference<>(plan));
  }

  /** What a plan travels as: its id, so a JVM that knows it skips decoding, and its runs for one that does not. */
  private static final class Encoded implements Serializable {
    private static final long serialVersionUID = 1L;
    private final UUID id;
    private final byte[] runs;

    Encoded(UUID id, byte[] runs) {
      this.id = id;
      this.runs = runs;
    }

    private Object readResolve() throws IOException {
      WeakReference<SyncPlan> ref = KNOWN.get(id);
      SyncPlan known = ref == null ? null : ref.get();
      if (known != null) return known;
      List<PlannedSync> syncs;
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(runs)) {
        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
          // a worker's classes may come from a loader other than the JDK's default (Flink's user-code loader)
          try {
            return Class.forName(desc.getName(), false, SyncPlan.class.getClassLoader());
          } catch (ClassNotFoundException e) {
            return super.resolveClass(desc);
          }
        }
      }) {
        @SuppressWarnings("unchecked")
        List<PlannedSync> read = (List<PlannedSync>) in.readObject();
        syncs = read;
      } catch (ClassNotFoundException e) {
        InvalidObjectException invalid = new InvalidObjectException("sync plan names an unknown class: " + e.getMessage());
        invalid.initCause(e);
        throw invalid;
      }
      SyncPlan plan = new SyncPlan(id, syncs);
      plan.encoded = runs;
      remember(plan);
      return plan;
    }
  }
}
