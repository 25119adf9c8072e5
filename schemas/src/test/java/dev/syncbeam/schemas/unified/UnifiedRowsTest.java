package dev.syncbeam.schemas.unified;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.schemas.Column;
import dev.syncbeam.schemas.CopyText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedRowsTest {
  private static final RecordMeta META = new RecordMeta("7", Instant.parse("2024-01-02T03:04:05.678Z"), null, true,
      Instant.parse("2024-02-01T00:00:00Z"));

  private static List<UnifiedRecord> oneOfEach() {
    return List.of(
        new Account(META, "Acme", null, null, null, 12, List.of(), List.of(), null, LifecycleStage.CUSTOMER, "o1"),
        new Contact(META, "Ada", null, List.of(), List.of(new EmailAddress("a@x.io", "primary")), List.of(), null, null, null, null),
        new Lead(META, null, null, null, null, null, List.of(), List.of(), List.of(), null, null, null, null),
        new Opportunity(META, "Deal", null, 1234.56, "s", OpportunityStatus.WON, null, null, null, null, null),
        new User(META, "U", null, false));
  }

  @Test
  void everyUnifiedTypeHasExactlyTheColumnsOfItsTableInOrder() {
    for (UnifiedRecord r : oneOfEach()) {
      List<String> expected = ObjectTables.objectColumns(r.commonObject()).stream().map(Column::name).toList();
      assertEquals(expected, List.copyOf(r.objectFields().keySet()), r.commonObject().value());
    }
  }

  @Test
  void rowAndUnifiedJsonAgree() throws Exception {
    Opportunity o = (Opportunity) oneOfEach().get(3);
    TableDefinition t = ObjectTables.common(CommonObject.OPPORTUNITIES);
    Object[] row = UnifiedRows.row(t, "app", "hubspot", "c", Instant.EPOCH, o, "{}");
    assertEquals(1234.56, row[t.indexOf("amount")]);
    assertEquals("WON", row[t.indexOf("status")]);
    assertEquals(Boolean.TRUE, row[t.indexOf("is_deleted")]);
    JsonNode json = new ObjectMapper().readTree((String) row[t.indexOf(UnifiedRows.UNIFIED_DATA)]);
    assertEquals(1234.56, json.get("amount").doubleValue());
    assertEquals("WON", json.get("status").textValue());
    assertEquals(true, json.get("is_deleted").booleanValue());
    assertEquals("2024-01-02T03:04:05.678Z", json.get("created_at").textValue());
    assertEquals(false, json.has("raw_data"));
    Contact c = (Contact) oneOfEach().get(1);
    TableDefinition ct = ObjectTables.common(CommonObject.CONTACTS);
    Object[] crow = UnifiedRows.row(ct, "app", "hubspot", "c", Instant.EPOCH, c, "{}");
    assertEquals("[{\"email_address\":\"a@x.io\",\"email_address_type\":\"primary\"}]", crow[ct.indexOf("email_addresses")]);
    assertEquals("[]", crow[ct.indexOf("addresses")]);
  }

  @Test
  void theLineEscapedOnceEqualsTheLineOfTheRow() {
    for (UnifiedRecord r : oneOfEach()) {
      TableDefinition t = ObjectTables.common(r.commonObject());
      String raw = "{\"note\":\"tab\\there\\nand a backslash \\\\\"}";
      assertEquals(CopyText.line(t, UnifiedRows.row(t, "app", "hubspot", "c", Instant.EPOCH, r, raw)),
          UnifiedRows.line(t, "app", "hubspot", "c", Instant.EPOCH, r, raw), r.commonObject().value());
    }
  }

  @Test
  void aRecordCannotGoToAnotherObjectsTable() {
    assertThrows(IllegalArgumentException.class, () -> UnifiedRows.row(ObjectTables.common(CommonObject.USERS), "a", "p", "c",
        Instant.EPOCH, oneOfEach().get(0), "{}"));
  }
}
