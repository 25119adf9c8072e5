package dev.syncbeam.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlugAndEncodingTest {
  @Test
  void slugFollowsSupaglue() {
    assertEquals("battlecard_c", Slug.of("BattleCard__c"));
    assertEquals("my_object_c", Slug.of("My Object__c"));
    assertEquals("account", Slug.of("Account"));
    assertEquals("x_drop_table_y_c", Slug.of("x\"; drop table y; --__c"));
    assertEquals("salesforce_my_object_c", ObjectTables.standardTableName("salesforce", "My  Object__c"));
    assertThrows(IllegalArgumentException.class, () -> Slug.of("\"; --"));
    assertThrows(IllegalArgumentException.class, () -> ObjectTables.standardTableName("hubspot", "a".repeat(60)));
  }

  @Test
  void identifiersAreQuotedNeverSpliced() {
    assertEquals("\"we\"\"ird\"", SqlIdentifiers.quote("we\"ird"));
    assertThrows(IllegalArgumentException.class, () -> SqlIdentifiers.checkedName("drop table;"));
    assertEquals("'it''s'", SqlIdentifiers.literal("it's"));
  }

  @Test
  void copyTextEscapesWhatCopyWouldMisread() {
    StringBuilder sb = new StringBuilder();
    CopyText.appendText(sb, "a\tb\nc\\d\re\0f");
    assertEquals("a\\tb\\nc\\\\d\\re" + "f", sb.toString());
    assertEquals("\\N", CopyText.appendText(new StringBuilder(), null).toString());
    assertEquals("2024-01-02 03:04:05.006", CopyText.appendTimestamp(new StringBuilder(), Instant.parse("2024-01-02T03:04:05.006Z")).toString());
  }

  @Test
  void providerTimestampsBecomeUtc() {
    assertEquals(Instant.parse("2026-05-01T07:25:37Z"), Timestamps.parse("2026-05-01T07:25:37.000+0000"));
    assertEquals(Instant.parse("2024-12-24T17:31:54.727Z"), Timestamps.parse("2024-12-24T17:31:54.727Z"));
    assertEquals(Instant.parse("2026-05-15T10:11:04Z"), Timestamps.parse("2026-05-15 10:11:04"));
    assertEquals(Instant.parse("2024-01-01T10:00:00Z"), Timestamps.parse("2024-01-01T12:00:00+02:00"));
    assertEquals(Instant.parse("2026-05-20T00:00:00Z"), Timestamps.parse("2026-05-20"));
    assertNull(Timestamps.parse("2024-13-45"));
    assertNull(Timestamps.parse("not a date"));
    assertNull(Timestamps.parse(""));
  }
}
