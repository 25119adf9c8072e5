package dev.syncbeam.sandbox.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The index-range views must return exactly what a scan of every record would, in the same
 * order, for every page, after any mix of writes; the scan here is the old stored-records behaviour.
 */
class ObjectTableTest {
  static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  static ObjectTable table(int count) {
    RecordSeeds seeds = new RecordSeeds(7L, "things", EPOCH, ChronoUnit.SECONDS, count);
    return ObjectTable.seeded("things", ChronoUnit.SECONDS, EPOCH, seeds, n -> String.valueOf(n), n -> seeds.oneIn(n, 5),
        n -> Json.object().put("id", String.valueOf(n)).put("m", seeds.modified(n).toString()).put("deleted", seeds.oneIn(n, 5)),
        r -> r.get("deleted").asBoolean());
  }

  static List<String> ids(List<ObjectNode> rows) {
    return rows.stream().map(r -> r.get("id").asText()).toList();
  }

  static List<String> paged(RecordView view, int pageSize) {
    List<String> out = new ArrayList<>();
    for (int offset = 0; offset < view.size(); offset += pageSize) out.addAll(ids(view.page(offset, pageSize)));
    return out;
  }

  @Test
  void seededTimesRiseStrictlyAndFlagsRepeat() {
    RecordSeeds seeds = new RecordSeeds(42L, "Contact", EPOCH, ChronoUnit.MILLIS, 100_000);
    for (long n = 2; n <= 100_000; n += 997) assertTrue(seeds.modified(n).isAfter(seeds.modified(n - 1)));
    assertTrue(seeds.lastModified().isBefore(EPOCH.plus(181, ChronoUnit.DAYS)), "large datasets stay within the seeded span");
    assertEquals(seeds.random(12).nextLong(), new RecordSeeds(42L, "Contact", EPOCH, ChronoUnit.MILLIS, 100_000).random(12).nextLong());
  }

  @Test
  void viewsEqualAFullScanAfterWrites() {
    ObjectTable t = table(300);
    Random random = new Random(3);
    for (int i = 0; i < 120; i++) {
      String id = String.valueOf(1 + random.nextInt(t.size()));
      switch (random.nextInt(4)) {
        case 0 -> t.insert((n, now) -> Json.object().put("id", String.valueOf(n)).put("m", now.toString()).put("deleted", false));
        case 1 -> t.modify(id, (r, now) -> r.put("m", now.toString()).put("deleted", true));
        case 2 -> t.modify(id, (r, now) -> r.put("m", now.toString()).put("deleted", false));
        default -> t.modify(id, (r, now) -> r.put("m", now.toString()));
      }
    }
    Comparator<ObjectNode> byTime = Comparator.comparing((ObjectNode r) -> Instant.parse(r.get("m").asText()));
    for (Deletion d : Deletion.values()) {
      Predicate<ObjectNode> wanted = r -> d.accepts(r.get("deleted").asBoolean());
      List<ObjectNode> all = t.select(wanted);
      assertEquals(all.size(), t.count(d), d.name());
      for (int pageSize : new int[] {1, 7, 50, 1000}) {
        assertEquals(ids(all), paged(t.inIdOrder(1, Long.MAX_VALUE, d, r -> true), pageSize), d + " id order, pages of " + pageSize);
      }
      // a modified-since read: the seeded part is an index range, the writes are filtered
      Instant since = t.seededModified(200);
      long lo = t.firstSeededWhere(n -> !t.seededModified(n).isBefore(since));
      List<ObjectNode> changed = new ArrayList<>(t.select(wanted.and(r -> !Instant.parse(r.get("m").asText()).isBefore(since))));
      changed.sort(byTime);
      RecordView view = t.inModificationOrder(lo, Long.MAX_VALUE, d, r -> !Instant.parse(r.get("m").asText()).isBefore(since), byTime);
      assertEquals(ids(changed), paged(view, 9), d + " modified since");
      assertEquals(ids(changed).subList(0, Math.min(5, changed.size())), paged(view.limit(5), 2), d + " limited");
      // an id range in id order
      long from = t.firstSeededWhere(n -> n >= 100), to = t.lastSeededWhere(n -> n < 150);
      Predicate<ObjectNode> range = r -> Long.parseLong(r.get("id").asText()) >= 100 && Long.parseLong(r.get("id").asText()) < 150;
      assertEquals(ids(t.select(wanted.and(range))), paged(t.inIdOrder(from, to, d, range), 4), d + " id range");
    }
  }

  @Test
  void aViewIsASnapshot() {
    ObjectTable t = table(20);
    RecordView before = t.inIdOrder(1, Long.MAX_VALUE, Deletion.ANY, r -> true);
    List<String> expected = paged(before, 3);
    t.modify("3", (r, now) -> r.put("deleted", true).put("m", now.toString()));
    t.insert((n, now) -> Json.object().put("id", String.valueOf(n)).put("m", now.toString()).put("deleted", false));
    assertEquals(expected, paged(before, 3));
    assertEquals(21, t.inIdOrder(1, Long.MAX_VALUE, Deletion.ANY, r -> true).size());
  }
}
