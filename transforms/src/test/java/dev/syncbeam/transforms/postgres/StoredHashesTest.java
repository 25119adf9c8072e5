package dev.syncbeam.transforms.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory snapshot a re-sync compares against: each id answers with its own hash only. */
class StoredHashesTest {
  @Test
  void everyIdIsFoundWithItsOwnHashThroughEveryGrowth() {
    StoredHashes h = new StoredHashes();
    int n = 300_000;
    for (int i = 0; i < n; i++) h.add(StoredHashes.fingerprint("id-" + i), i * 7919L);
    for (int i = 0; i < n; i++) {
      assertTrue(h.unchanged("id-" + i, i * 7919L), "id-" + i);
      assertFalse(h.unchanged("id-" + i, i * 7919L + 1), "id-" + i + " with another hash");
    }
    assertFalse(h.unchanged("id-" + n, 0), "an id never stored is changed (new)");
    assertFalse(h.unchanged("", 0));
  }

  @Test
  void fingerprintsOfNearIdsDiffer() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1_000_000; i++) seen.add(StoredHashes.fingerprint(Integer.toString(i)));
    assertEquals(1_000_000, seen.size());
  }
}
