package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The records of one (customer, provider, object), deleted ones included, with the object's own
 * modification clock. The clock is strictly increasing at the provider's timestamp resolution
 * (seconds for Salesforce and Pipedrive, milliseconds for HubSpot), so no two writes share a
 * modification time and incremental reads with {@code >=} are exact.
 */
public final class ObjectTable {
  /** Numeric ids by value (HubSpot, Pipedrive), fixed-length ids (Salesforce, UUIDs) lexicographically. */
  public static final Comparator<String> ID_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

  private final String name;
  private final ChronoUnit resolution;
  private final TreeMap<String, ObjectNode> records = new TreeMap<>(ID_ORDER);
  private Instant lastTick;
  private long sequence;

  public ObjectTable(String name, ChronoUnit resolution, Instant start) {
    this.name = name;
    this.resolution = resolution;
    this.lastTick = start.truncatedTo(resolution);
  }

  public String name() {
    return name;
  }

  /** The next modification time: now, or one tick after the previous one if the wall clock has not moved on. */
  public synchronized Instant tick() {
    Instant now = Instant.now().truncatedTo(resolution);
    lastTick = now.isAfter(lastTick) ? now : lastTick.plus(1, resolution);
    return lastTick;
  }

  /** After seeding: later writes must be stamped after every seeded record. */
  public synchronized void advanceClockTo(Instant t) {
    if (t.isAfter(lastTick)) lastTick = t.truncatedTo(resolution);
  }

  /** Ids are handed out in increasing order so id ranges (Salesforce parallel reads) follow creation order. */
  public synchronized long nextSequence() {
    return ++sequence;
  }

  /**
   * Creates a record from the next sequence number and a fresh modification time in one step, so
   * concurrent creates get ids and timestamps in the same order. Returns a copy.
   */
  public synchronized ObjectNode insert(BiFunction<Long, Instant, ObjectNode> maker, String idField) {
    ObjectNode r = maker.apply(nextSequence(), tick());
    records.put(r.get(idField).asText(), r);
    return r.deepCopy();
  }

  public synchronized void put(String id, ObjectNode record) {
    records.put(id, record);
  }

  public synchronized ObjectNode get(String id) {
    ObjectNode r = records.get(id);
    return r == null ? null : r.deepCopy();
  }

  /**
   * Applies {@code change} to the stored record with a fresh modification time, atomically, and
   * returns a copy of the result (null when there is no such record).
   */
  public synchronized ObjectNode modify(String id, BiConsumer<ObjectNode, Instant> change) {
    ObjectNode r = records.get(id);
    if (r == null) return null;
    change.accept(r, tick());
    return r.deepCopy();
  }

  /** Copies of the matching records in id order: a consistent snapshot for one read. */
  public synchronized List<ObjectNode> select(Predicate<ObjectNode> filter) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode r : records.values()) if (filter.test(r)) out.add(r.deepCopy());
    return out;
  }

  public synchronized int size() {
    return records.size();
  }
}
