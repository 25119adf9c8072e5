package dev.syncbeam.schemas;

/** The PostgreSQL column types the destination contract uses. */
public enum ColumnType {
  TEXT("text"),
  TIMESTAMP("timestamp(3) without time zone"),
  BOOLEAN("boolean"),
  JSONB("jsonb"),
  INTEGER("integer"),
  BIGINT("bigint"),
  DOUBLE("double precision");

  public final String sql;

  ColumnType(String sql) {
    this.sql = sql;
  }
}
