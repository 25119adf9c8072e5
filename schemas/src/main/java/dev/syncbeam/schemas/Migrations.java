package dev.syncbeam.schemas;

import dev.syncbeam.schemas.unified.CommonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The migrations SyncBeam ships, in order. A new release appends; it never edits or removes one. */
public final class Migrations {
  private Migrations() {}

  public static final List<Migration> ALL = List.of(
      migration(1, "bookkeeping tables, custom_objects and the crm_* common-object tables", (conn, schema) -> {
        List<String> ddl = new ArrayList<>(SyncbeamTables.initialDdl(schema));
        ddl.add(Ddl.createTable(schema, ObjectTables.customObjects()));
        for (CommonObject common : CommonObject.values()) ddl.add(Ddl.createTable(schema, ObjectTables.common(common)));
        Ddl.execute(conn, ddl);
      }),
      migration(2, "dead letters keyed by a fingerprint, so retried bundles do not repeat them",
          (conn, schema) -> Ddl.execute(conn, SyncbeamTables.deadLetterFingerprints(schema))),
      migration(3, "webhook outbox, and each sync's object type for its events",
          (conn, schema) -> Ddl.execute(conn, SyncbeamTables.webhookOutbox(schema))),
      migration(4, "the ids each run in progress read, for sweeps that need not stamp every row",
          (conn, schema) -> Ddl.execute(conn, SyncbeamTables.seenKeys(schema))),
      migration(5, "API requests and bytes on every run record, for what a delete check or a sync costs the provider",
          (conn, schema) -> Ddl.execute(conn, SyncbeamTables.apiCost(schema))),
      migration(6, "seen keys indexed by run alone, which costs a writer far less than (run, record id) did",
          (conn, schema) -> Ddl.execute(conn, SyncbeamTables.seenKeysByRun(schema))));

  /** The body of a migration. */
  public interface Step {
    void apply(Connection conn, String schema) throws SQLException;
  }

  public static Migration migration(int version, String description, Step step) {
    return new Migration() {
      @Override public int version() { return version; }
      @Override public String description() { return description; }
      @Override public void apply(Connection conn, String schema) throws SQLException { step.apply(conn, schema); }
    };
  }
}
