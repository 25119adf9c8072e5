package dev.syncbeam.transforms.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.RawRows;
import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.transforms.model.StagedRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink alone: newer-wins across separately committed batches, and replaying a bundle changes nothing. */
class WriteToPostgresTest {
  static String url;
  static PostgresDestination destination;
  static final TableDefinition TABLE = ObjectTables.standard("hubspot", "contacts");

  @BeforeAll
  static void database() throws Exception {
    url = SharedTestPostgres.freshDatabase("sink");
    destination = PostgresDestination.of(url, "postgres", "postgres", "supaglue");
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, "supaglue");
      Ddl.ensureTable(c, "supaglue", TABLE);
      c.commit();
    }
  }

  static StagedRow row(String customer, String id, String lastModified, String email, Instant emittedAt) {
    Instant lm = Instant.parse(lastModified);
    String line = RawRows.line(TABLE, new RawRows.RawRecord("app", "hubspot", customer, null, id, emittedAt, lm, false,
        "{\"email\":\"" + email + "\"}"));
    return new StagedRow(TABLE.name(), customer + "/hubspot/contacts", 1L, id, lm.toEpochMilli(), line, true);
  }

  static void write(List<StagedRow> rows, int batchRows) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--enforceImmutability=true", "--enforceEncodability=true").create());
    p.apply(Create.of(rows).withCoder(StagedRow.CODER)).apply(WriteToPostgres.to(destination).withBatchRows(batchRows));
    p.run().waitUntilFinish();
  }

  static List<String> table(String customer) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT _supaglue_id, _supaglue_last_modified_at, _supaglue_emitted_at, _supaglue_raw_data::text"
             + " FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = '" + customer + "' ORDER BY 1")) {
      while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
    }
    return out;
  }

  @Test
  void newestVersionWinsAcrossBatchesCommittedSeparately() throws Exception {
    Instant run = Instant.parse("2024-06-01T00:00:00Z");
    write(List.of(
        row("c1", "1", "2024-03-01T00:00:00Z", "v1", run),
        row("c1", "1", "2024-03-03T00:00:00Z", "v3", run),
        row("c1", "1", "2024-03-02T00:00:00Z", "v2", run),
        row("c1", "2", "2024-03-01T00:00:00Z", "only", run)), 1);
    assertEquals(List.of(
        "1 2024-03-03 00:00:00 2024-06-01 00:00:00 {\"email\": \"v3\"}",
        "2 2024-03-01 00:00:00 2024-06-01 00:00:00 {\"email\": \"only\"}"), table("c1"));
  }

  /** What a single-record write outside a pipeline uses: a stale version merged after a newer one changes nothing. */
  @Test
  void guardedMergeOnItsOwnKeepsTheNewerVersion() throws Exception {
    Instant written = Instant.parse("2024-06-02T00:00:00Z");
    TableStatements sql = new TableStatements("supaglue", TABLE);
    try (Connection c = destination.open()) {
      WriteToPostgres.guardedMerge(c, sql, List.of(row("c5", "1", "2024-03-05T00:00:00Z", "new", written)), false);
      c.commit();
      WriteToPostgres.guardedMerge(c, sql, List.of(row("c5", "1", "2024-03-04T00:00:00Z", "stale", written)), false);
      c.commit();
    }
    assertEquals(List.of("1 2024-03-05 00:00:00 2024-06-02 00:00:00 {\"email\": \"new\"}"), table("c5"));
  }

  @Test
  void replayingTheSameBundleLeavesTheSameContents() throws Exception {
    Instant run = Instant.parse("2024-06-01T00:00:00Z");
    List<StagedRow> bundle = List.of(
        row("c2", "1", "2024-03-01T00:00:00Z", "a", run),
        row("c2", "1", "2024-03-01T00:00:00Z", "b", run),
        row("c2", "2", "2024-03-02T00:00:00Z", "c", run));
    write(bundle, 10);
    List<String> once = table("c2");
    write(bundle, 10);
    List<StagedRow> reversed = new ArrayList<>(bundle);
    java.util.Collections.reverse(reversed);
    write(reversed, 2);
    assertEquals(once, table("c2"));
    assertEquals(2, once.size());
  }

  @Test
  void aFirstLoadCopiesStraightInAndAMixedBatchFallsBackToTheGuardedMerge() throws Exception {
    Instant run = Instant.parse("2024-06-01T00:00:00Z");
    write(List.of(row("c3", "a", "2024-03-02T00:00:00Z", "a-new", run), row("c3", "b", "2024-03-02T00:00:00Z", "b", run)), 10);
    // one batch: a brand-new id and an older version of an existing one; the direct COPY meets "a" and backs out
    write(List.of(row("c3", "c", "2024-03-01T00:00:00Z", "c", run), row("c3", "a", "2024-03-01T00:00:00Z", "a-old", run)), 10);
    assertEquals(List.of(
        "a 2024-03-02 00:00:00 2024-06-01 00:00:00 {\"email\": \"a-new\"}",
        "b 2024-03-02 00:00:00 2024-06-01 00:00:00 {\"email\": \"b\"}",
        "c 2024-03-01 00:00:00 2024-06-01 00:00:00 {\"email\": \"c\"}"), table("c3"));
  }

  @Test
  void tenantsNeverMix() throws Exception {
    Instant run = Instant.parse("2024-06-01T00:00:00Z");
    write(List.of(row("t1", "same-id", "2024-03-01T00:00:00Z", "t1", run), row("t2", "same-id", "2024-03-02T00:00:00Z", "t2", run)), 10);
    assertEquals(1, table("t1").size());
    assertEquals(1, table("t2").size());
    assertEquals("same-id 2024-03-01 00:00:00 2024-06-01 00:00:00 {\"email\": \"t1\"}", table("t1").get(0));
  }

  @Test
  void aDeadlockWithAnotherWriterIsRetriedAndBothCommit() throws Exception {
    Instant run = Instant.parse("2024-06-01T00:00:00Z");
    write(List.of(row("dl", "a", "2024-03-01T00:00:00Z", "a1", run), row("dl", "b", "2024-03-01T00:00:00Z", "b1", run)), 10);
    try (Connection admin = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = admin.createStatement()) {
      st.execute("ALTER TABLE supaglue.hubspot_contacts ADD COLUMN IF NOT EXISTS my_note text");
    }
    long deadlocksBefore = deadlocks();
    // the other writer holds row b; the sink's batch, holding the table for writing, waits for b; the other
    // writer then asks for the table in share mode, which waits for the sink: a deadlock, whatever the row order
    try (Connection other = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = other.createStatement()) {
      other.setAutoCommit(false);
      st.execute("UPDATE supaglue.hubspot_contacts SET my_note = 'other' WHERE _supaglue_customer_id = 'dl' AND _supaglue_id = 'b'");
      CompletableFuture<Void> sink = CompletableFuture.runAsync(() -> write(List.of(
          row("dl", "a", "2024-03-02T00:00:00Z", "a2", run), row("dl", "b", "2024-03-02T00:00:00Z", "b2", run)), 10));
      awaitSinkWaitingForALock();
      st.execute("LOCK TABLE supaglue.hubspot_contacts IN SHARE MODE");
      st.execute("UPDATE supaglue.hubspot_contacts SET my_note = 'other' WHERE _supaglue_customer_id = 'dl' AND _supaglue_id = 'a'");
      other.commit(); // PostgreSQL broke the deadlock by rolling back the sink's batch, which then replays
      sink.get(60, TimeUnit.SECONDS);
    }
    assertEquals(List.of(
        "a 2024-03-02 00:00:00 2024-06-01 00:00:00 {\"email\": \"a2\"}",
        "b 2024-03-02 00:00:00 2024-06-01 00:00:00 {\"email\": \"b2\"}"), table("dl"), "the sink's batch committed");
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_customer_id = 'dl'"
             + " AND my_note = 'other'")) {
      rs.next();
      assertEquals(2, rs.getLong(1), "and so did the other writer's");
    }
    assertEquals(deadlocksBefore + 1, deadlocks(), "PostgreSQL saw the deadlock");
  }

  private static long deadlocks() throws Exception {
    Thread.sleep(1100); // statistics reach the shared counters within a second
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Until a backend of the sink waits on a row lock (PostgreSQL checks for a deadlock a second later). */
  private static void awaitSinkWaitingForALock() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'syncbeam'"
            + " AND wait_event_type = 'Lock'")) {
          rs.next();
          if (rs.getLong(1) > 0) return;
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the sink never waited for the other writer's lock");
  }
}
