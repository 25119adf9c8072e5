package dev.syncbeam.schemas;

import java.sql.Connection;
import java.sql.SQLException;

/** One additive, numbered schema change. Applied at most once per schema, recorded in _syncbeam_migrations. */
public interface Migration {
  int version();

  String description();

  void apply(Connection conn, String schema) throws SQLException;
}
