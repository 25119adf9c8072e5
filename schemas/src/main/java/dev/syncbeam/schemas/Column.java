package dev.syncbeam.schemas;

import java.io.Serializable;

public record Column(String name, ColumnType type, boolean notNull) implements Serializable {
  public static Column required(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  public static Column nullable(String name, ColumnType type) {
    return new Column(name, type, false);
  }

  public String ddl() {
    return SqlIdentifiers.quote(name) + " " + type.sql + (notNull ? " NOT NULL" : "");
  }
}
