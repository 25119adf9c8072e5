package dev.syncbeam.schemas;

import java.time.Instant;

/**
 * Encodes one provider record for a standard-object table or {@code custom_objects}: the row values
 * in the table's column order, ready for {@link CopyText#line}. The crm_* counterpart is
 * {@link dev.syncbeam.schemas.unified.UnifiedRows}.
 */
public final class RawRows {
  private RawRows() {}

  /** What a raw row says about one record; {@code objectName} is set only for custom_objects. */
  public record RawRecord(String applicationId, String provider, String customerId, String objectName, String id,
      Instant emittedAt, Instant lastModified, boolean deleted, String rawData) {}

  public static Object[] row(TableDefinition table, RawRecord r) {
    Object[] values = values(table, r);
    ContentHash.set(table, values);
    return values;
  }

  /** The row's values with the hash column still empty. */
  private static Object[] values(TableDefinition table, RawRecord r) {
    if (table.family() == TableFamily.COMMON) throw new IllegalArgumentException(table.name() + " is not a raw-record table");
    Object[] values = new Object[table.columns().size()];
    for (int i = 0; i < values.length; i++) {
      String name = table.columns().get(i).name();
      values[i] = switch (name) {
        case ObjectTables.APPLICATION_ID -> r.applicationId();
        case ObjectTables.PROVIDER_NAME -> r.provider();
        case ObjectTables.CUSTOMER_ID -> r.customerId();
        case ObjectTables.OBJECT_NAME -> r.objectName();
        case ObjectTables.EMITTED_AT -> r.emittedAt();
        case ObjectTables.MAPPED_DATA -> "{}";
        case ObjectTables.SWEPT -> false;
        case ObjectTables.CONTENT_HASH -> null; // set below, from the other values
        default -> {
          if (name.equals(table.idColumn())) yield r.id();
          if (name.equals(table.lastModifiedColumn())) yield r.lastModified();
          if (name.equals(table.deletedColumn())) yield r.deleted();
          if (name.equals(table.rawDataColumn())) yield r.rawData();
          throw new IllegalStateException("no value for column " + name + " of " + table.name());
        }
      };
    }
    return values;
  }

  /** The COPY line of one raw row, hash included. */
  public static String line(TableDefinition table, RawRecord r) {
    return ContentHash.line(table, values(table, r));
  }
}
