package dev.syncbeam.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.syncbeam.schemas.unified.CommonObject;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The short cuts of the hot path (timestamps read without the formatter, one escaping per row) answer exactly as the long way. */
class FastEncodingTest {
  @Test
  void canonicalTimestampsReadAsTheFormatterReadsThem() {
    Random random = new Random(7);
    String[] separators = {"T", "t", " ", "x"};
    String[] zones = {"Z", "z", "", "+00:00", "+0000", "-05:00"};
    int fastPathTaken = 0;
    for (int k = 0; k < 200_000; k++) {
      // mostly valid fields, some out of range (month 13, day 31 of short months, 24:00, second 60)
      String s = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
          random.nextInt(33), separators[random.nextInt(separators.length)], random.nextInt(26), random.nextInt(61),
          random.nextInt(62), fraction(random), zones[random.nextInt(zones.length)]);
      Instant fast = Timestamps.canonical(s);
      if (fast != null) fastPathTaken++;
      assertEquals(Timestamps.parseWithFormatter(s), Timestamps.parse(s), s);
      if (fast != null) assertEquals(Timestamps.parseWithFormatter(s), fast, s);
    }
    org.junit.jupiter.api.Assertions.assertTrue(fastPathTaken > 20_000, "the generated values must exercise the short cut: " + fastPathTaken);
    assertEquals(Instant.parse("2024-02-29T23:59:59.123Z"), Timestamps.canonical("2024-02-29T23:59:59.123456789Z"));
    assertEquals(Instant.parse("2024-05-01T12:30:00Z"), Timestamps.canonical("2024-05-01 12:30:00"));
    assertNull(Timestamps.canonical("2023-02-29T00:00:00Z"), "left to the formatter's own resolution");
    assertNotNull(Timestamps.parse("2023-02-29T00:00:00Z"));
    assertNull(Timestamps.canonical("2024-05-01T12:30:00.Z"));
    assertNull(Timestamps.canonical("2024-05-01T12:30Z"));
  }

  private static String fraction(Random random) {
    int digits = random.nextInt(12) - 1; // -1: none; 0: a bare point; up to 10 digits (one too many)
    if (digits < 0) return "";
    StringBuilder sb = new StringBuilder(".");
    for (int i = 0; i < digits; i++) sb.append((char) ('0' + random.nextInt(10)));
    return sb.toString();
  }

  @Test
  void aLineWithItsHashEscapesOnceAndEqualsTheLongWay() {
    Instant t = Instant.parse("2024-01-01T00:00:00.5Z");
    String[] payloads = {"{\"x\":\"a\\\\b\\nc\"}", "{\"tab\":\"\t\",\"cr\":\"\r\",\"nl\":\"\n\"}", "{}", "{\"é\":\"日本\"}"};
    for (TableDefinition table : new TableDefinition[] {ObjectTables.standard("hubspot", "contacts"), ObjectTables.customObjects()}) {
      for (String payload : payloads) {
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
          ColumnType type = table.columns().get(i).type();
          values[i] = switch (type) {
            case TEXT -> i % 2 == 0 ? "v\t" + i : null;
            case JSONB -> payload;
            case TIMESTAMP -> t.plusSeconds(i);
            case BOOLEAN -> i % 2 == 0;
            case INTEGER, BIGINT, DOUBLE -> null;
          };
        }
        Object[] longWay = values.clone();
        ContentHash.set(table, longWay);
        assertEquals(CopyText.line(table, longWay), ContentHash.line(table, values), table.name() + " " + payload);
        assertEquals(longWay[table.indexOf(ObjectTables.CONTENT_HASH)], values[table.indexOf(ObjectTables.CONTENT_HASH)]);
      }
    }
    TableDefinition crm = ObjectTables.common(CommonObject.values()[0]);
    Object[] values = new Object[crm.columns().size()];
    for (int i = 0; i < values.length; i++) values[i] = crm.columns().get(i).type() == ColumnType.TIMESTAMP ? t : null;
    Object[] longWay = values.clone();
    ContentHash.set(crm, longWay);
    assertEquals(CopyText.line(crm, longWay), ContentHash.line(crm, values));
  }

  @Test
  void rawFieldsFindsFieldsBehindALongPayload() {
    String line = "a\tb\t" + "x".repeat(2000) + "\t\\N\t42\n";
    assertEquals("42\ta\t\\N", CopyText.rawFields(line, new int[] {4, 0, 3}));
    assertEquals("42", CopyText.rawFields("42", new int[] {0}));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> CopyText.rawFields(line, new int[] {5}));
  }

  @Test
  void textIsEscapedAsCharacterByCharacter() {
    Random random = new Random(11);
    char[] alphabet = {'a', 'z', '"', '\u00e9', '\u65e5', '\\', '\t', '\n', '\r', '\0', 'N'};
    for (int k = 0; k < 20_000; k++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(k % 100 == 0 ? 3000 : 40);
      for (int i = 0; i < length; i++) value.append(alphabet[random.nextInt(alphabet.length)]);
      StringBuilder expected = new StringBuilder();
      for (char c : value.toString().toCharArray()) {
        switch (c) {
          case '\\' -> expected.append("\\\\");
          case '\t' -> expected.append("\\t");
          case '\n' -> expected.append("\\n");
          case '\r' -> expected.append("\\r");
          case '\0' -> { }
          default -> expected.append(c);
        }
      }
      assertEquals(expected.toString(), CopyText.appendText(new StringBuilder("x"), value.toString()).substring(1));
    }
  }
}
