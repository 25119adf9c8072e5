package dev.syncbeam.sandbox.api.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SalesforceObjectsTest {
  private static final SalesforceObjects.SObject ACCOUNT = SalesforceObjects.ALL.get("Account");

  @Test
  void idsAreEighteenCharactersThatSortInCreationOrder() {
    assertEquals("001SB0000000001AAA", SalesforceObjects.id(ACCOUNT, 1));
    String previous = SalesforceObjects.id(ACCOUNT, 0);
    for (long n : new long[] {1, 9, 10, 99_999, 100_000, 1_234_567_890L}) {
      String id = SalesforceObjects.id(ACCOUNT, n);
      assertEquals(18, id.length(), id);
      assertEquals(ACCOUNT.keyPrefix() + String.format(Locale.ROOT, "SB%010dAAA", n), id);
      assertTrue(id.compareTo(previous) > 0, id + " sorts after " + previous);
      previous = id;
    }
    assertThrows(IllegalArgumentException.class, () -> SalesforceObjects.id(ACCOUNT, -1));
  }
}
