package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.syncbeam.schemas.unified.CommonObject;
import org.junit.jupiter.api.Test;

class UnifiedRecordSchemaTest {
  private static String refused(CommonObject object, String json) throws Exception {
    ServeError e = assertThrows(ServeError.class, () -> UnifiedRecordSchema.of(object).validate(Json.MAPPER.readTree(json)), json);
    assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
    assertEquals(400, e.status());
    return e.getMessage();
  }

  @Test
  void aWellTypedRecordPasses() throws Exception {
    assertDoesNotThrow(() -> UnifiedRecordSchema.of(CommonObject.CONTACTS).validate(Json.MAPPER.readTree(
        "{\"first_name\":\"Ada\",\"last_name\":null,\"email_addresses\":[{\"email_address\":\"a@x.io\",\"email_address_type\":\"primary\"}],"
            + "\"addresses\":[],\"last_activity_at\":\"2024-03-01T00:00:00Z\",\"custom_fields\":{\"x\":1}}")));
    assertDoesNotThrow(() -> UnifiedRecordSchema.of(CommonObject.OPPORTUNITIES).validate(Json.MAPPER.readTree("{\"amount\":12.5}")));
  }

  @Test
  void typosAndWrongTypesAreRefusedNamingTheField() throws Exception {
    assertEquals("record.frist_name: not a field of the unified model", refused(CommonObject.CONTACTS, "{\"frist_name\":\"Ada\"}"));
    assertEquals("record.number_of_employees: must be a whole number", refused(CommonObject.ACCOUNTS, "{\"number_of_employees\":\"ten\"}"));
    assertEquals("record.number_of_employees: must be a whole number", refused(CommonObject.ACCOUNTS, "{\"number_of_employees\":1.5}"));
    assertEquals("record.amount: must be a number", refused(CommonObject.OPPORTUNITIES, "{\"amount\":\"12\"}"));
    assertEquals("record.close_date: must be an ISO-8601 timestamp string", refused(CommonObject.OPPORTUNITIES, "{\"close_date\":\"soon\"}"));
    assertEquals("record.email_addresses[0].emial: not a field of the unified model",
        refused(CommonObject.LEADS, "{\"email_addresses\":[{\"emial\":\"a@x.io\"}]}"));
    assertEquals("record: must be an object", refused(CommonObject.LEADS, "[1]"));
    ServeError users = assertThrows(ServeError.class, () -> UnifiedRecordSchema.of(CommonObject.USERS));
    assertEquals(ErrorCode.BAD_REQUEST, users.code());
  }
}
