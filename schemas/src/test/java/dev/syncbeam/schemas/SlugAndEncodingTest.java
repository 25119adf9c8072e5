package dev.syncbeam.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void jsonbRefusesLoneSurrogatesWrittenRawOrEscaped() {
    assertNull(JsonbText.problem("{\"name\":\"caf\u00e9 \ud83d\ude00 \\\\ud800 plain\"}"), "pairs, and an escaped backslash");
    assertNull(JsonbText.problem("{\"emoji\":\"\uD83D\uDE00\"}"), "a raw pair");
    assertTrue(JsonbText.problem("{\"n\":\"x\\ud800y\"}").contains("\\ud800 at character 7"));
    assertTrue(JsonbText.problem("{\"n\":\"x\\udc00\"}").contains("\\udc00"));
    assertTrue(JsonbText.problem("{\"n\":\"x\\ud800\\u0041\"}").contains("\\ud800"), "a high surrogate needs a low one next");
    assertTrue(JsonbText.problem("{\"n\":\"x\uD800y\"}").contains("U+D800"), "a raw lone surrogate");
  }

  @Test
  void copyFieldsReadBackAsWritten() {
    String line = CopyText.line(ObjectTables.standard("hubspot", "contacts"), new Object[] {"a", "hubspot", "c", "id\t1",
        Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), false, "{\"x\":\"a\\\\b\\nc\"}", "{}", null, 42L});
    assertEquals("id\t1", CopyText.field(line, 3));
    assertEquals("42\tid\\t1\t{}", CopyText.rawFields(line, new int[] {10, 3, 8}), "as they stand, escaped, in the order asked");
    assertEquals("{\"x\":\"a\\\\b\\nc\"}", CopyText.field(line, 7));
    assertNull(CopyText.field(line, 9));
  }

  @Test
  void timestampsATimestamp3ColumnCannotHoldAreUnparseable() {
    assertNull(Timestamps.parse("+10000-01-01T00:00:00Z"));
    assertEquals(Instant.parse("9999-12-31T23:59:59.999Z"), Timestamps.parse("9999-12-31T23:59:59.999Z"));
  }
}
