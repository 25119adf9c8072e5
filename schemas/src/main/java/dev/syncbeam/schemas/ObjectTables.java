package dev.syncbeam.schemas;

import static dev.syncbeam.schemas.Column.nullable;
import static dev.syncbeam.schemas.Column.required;
import static dev.syncbeam.schemas.ColumnType.*;

import dev.syncbeam.schemas.unified.CommonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The definitions of the tables that hold provider records: standard objects, custom_objects and crm_*. */
public final class ObjectTables {
  public static final String APPLICATION_ID = "_supaglue_application_id";
  public static final String PROVIDER_NAME = "_supaglue_provider_name";
  public static final String CUSTOMER_ID = "_supaglue_customer_id";
  public static final String EMITTED_AT = "_supaglue_emitted_at";
  public static final String OBJECT_NAME = "_supaglue_object_name";
  public static final String MAPPED_DATA = "_supaglue_mapped_data";
  public static final String CUSTOM_OBJECTS = "custom_objects";
  /**
   * SyncBeam's own column on every record table: set by the full-refresh sweep, cleared when the
   * record is read again. A row the sweep deleted comes back on any live read of its record, while a
   * row the provider deleted only yields to a newer version.
   */
  public static final String SWEPT = "_syncbeam_swept";
  /**
   * SyncBeam's own column on every record table: a hash of everything the row says about its record
   * (all columns but the run stamp and this one), so a re-sync can tell an unchanged record without
   * sending it, and leaves its row untouched.
   */
  public static final String CONTENT_HASH = "_syncbeam_content_hash";

  private ObjectTables() {}

  /** The raw-record columns shared by standard-object tables and custom_objects. */
  private static List<Column> rawColumns(boolean withObjectName) {
    List<Column> cols = new ArrayList<>(List.of(
        required(APPLICATION_ID, TEXT),
        required(PROVIDER_NAME, TEXT),
        required(CUSTOMER_ID, TEXT)));
    if (withObjectName) cols.add(required(OBJECT_NAME, TEXT));
    cols.addAll(List.of(
        required("_supaglue_id", TEXT),
        required(EMITTED_AT, TIMESTAMP),
        required("_supaglue_last_modified_at", TIMESTAMP),
        required("_supaglue_is_deleted", BOOLEAN),
        required("_supaglue_raw_data", JSONB),
        required(MAPPED_DATA, JSONB),
        nullable(SWEPT, BOOLEAN),
        nullable(CONTENT_HASH, BIGINT)));
    return cols;
  }

  private static TableDefinition rawTable(String name, TableFamily family) {
    boolean custom = family == TableFamily.CUSTOM;
    List<String> scope = custom
        ? List.of(APPLICATION_ID, PROVIDER_NAME, CUSTOMER_ID, OBJECT_NAME)
        : List.of(APPLICATION_ID, PROVIDER_NAME, CUSTOMER_ID);
    List<String> pk = new ArrayList<>(scope);
    pk.add("_supaglue_id");
    return new TableDefinition(name, family, rawColumns(custom), pk, scope, "_supaglue_id", EMITTED_AT,
        "_supaglue_last_modified_at", "_supaglue_is_deleted", "_supaglue_raw_data", null, SWEPT);
  }

  /** {@code {provider}_{slug(object)}}, e.g. {@code salesforce_account}. */
  public static TableDefinition standard(String provider, String object) {
    String name = standardTableName(provider, object);
    return rawTable(name, TableFamily.STANDARD);
  }

  public static String standardTableName(String provider, String object) {
    String name = provider.toLowerCase(Locale.ROOT) + "_" + Slug.of(object);
    if (name.length() > SqlIdentifiers.MAX_LENGTH) {
      throw new IllegalArgumentException("object '" + object + "' gives table name " + name + ", longer than "
          + SqlIdentifiers.MAX_LENGTH + " characters");
    }
    return SqlIdentifiers.checkedName(name);
  }

  public static TableDefinition customObjects() {
    return rawTable(CUSTOM_OBJECTS, TableFamily.CUSTOM);
  }

  /** The object's own columns of its crm_* table (between the leading record columns and raw_data), in order. */
  public static List<Column> objectColumns(CommonObject commonObject) {
    return COMMON_OBJECT_COLUMNS.get(commonObject);
  }

  /** The common-object table {@code crm_<object>}. */
  public static TableDefinition common(CommonObject commonObject) {
    List<Column> own = COMMON_OBJECT_COLUMNS.get(commonObject);
    List<Column> cols = new ArrayList<>(List.of(
        required(APPLICATION_ID, TEXT),
        required(PROVIDER_NAME, TEXT),
        required(CUSTOMER_ID, TEXT),
        required(EMITTED_AT, TIMESTAMP),
        required("id", TEXT),
        nullable("created_at", TIMESTAMP),
        nullable("updated_at", TIMESTAMP),
        required("is_deleted", BOOLEAN),
        required("last_modified_at", TIMESTAMP)));
    cols.addAll(own);
    cols.add(nullable("raw_data", JSONB));
    cols.add(nullable("_supaglue_unified_data", JSONB));
    cols.add(nullable(SWEPT, BOOLEAN));
    cols.add(nullable(CONTENT_HASH, BIGINT));
    List<String> scope = List.of(APPLICATION_ID, PROVIDER_NAME, CUSTOMER_ID);
    return new TableDefinition(commonObject.table(), TableFamily.COMMON, cols,
        List.of(APPLICATION_ID, PROVIDER_NAME, CUSTOMER_ID, "id"), scope, "id", EMITTED_AT,
        "last_modified_at", "is_deleted", "raw_data", "_supaglue_unified_data", SWEPT);
  }

  /** The object columns of each common-object table, in contract order. */
  private static final Map<CommonObject, List<Column>> COMMON_OBJECT_COLUMNS = Map.of(
      CommonObject.ACCOUNTS, List.of(
          nullable("name", TEXT), nullable("description", TEXT), nullable("industry", TEXT),
          nullable("website", TEXT), nullable("number_of_employees", INTEGER), nullable("addresses", JSONB),
          nullable("phone_numbers", JSONB), nullable("last_activity_at", TIMESTAMP),
          nullable("lifecycle_stage", TEXT), nullable("owner_id", TEXT)),
      CommonObject.CONTACTS, List.of(
          nullable("first_name", TEXT), nullable("last_name", TEXT), required("addresses", JSONB),
          required("email_addresses", JSONB), required("phone_numbers", JSONB), nullable("lifecycle_stage", TEXT),
          nullable("account_id", TEXT), nullable("owner_id", TEXT), nullable("last_activity_at", TIMESTAMP)),
      CommonObject.LEADS, List.of(
          nullable("lead_source", TEXT), nullable("title", TEXT), nullable("company", TEXT),
          nullable("first_name", TEXT), nullable("last_name", TEXT), nullable("addresses", JSONB),
          nullable("email_addresses", JSONB), nullable("phone_numbers", JSONB),
          nullable("converted_date", TIMESTAMP), nullable("converted_contact_id", TEXT),
          nullable("converted_account_id", TEXT), nullable("owner_id", TEXT)),
      CommonObject.OPPORTUNITIES, List.of(
          nullable("name", TEXT), nullable("description", TEXT), nullable("amount", DOUBLE),
          nullable("stage", TEXT), nullable("status", TEXT), nullable("close_date", TIMESTAMP),
          nullable("pipeline", TEXT), nullable("account_id", TEXT), nullable("owner_id", TEXT),
          nullable("last_activity_at", TIMESTAMP)),
      CommonObject.USERS, List.of(nullable("name", TEXT), nullable("email", TEXT), nullable("is_active", BOOLEAN)));

  /** Resolves a table name back to its definition: custom_objects, crm_*, or a standard-object table. */
  public static TableDefinition forTableName(String tableName) {
    if (tableName.equals(CUSTOM_OBJECTS)) return customObjects();
    Optional<CommonObject> common = CommonObject.ofTable(tableName);
    if (common.isPresent()) return common(common.get());
    return rawTable(SqlIdentifiers.checkedName(tableName), TableFamily.STANDARD);
  }
}
