package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.CopyText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableFamily;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.transforms.ReadBackpressure;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.StagedRow;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink. Rows are buffered per table, streamed with COPY into a session-local staging table and
 * merged with one guarded {@code INSERT ... ON CONFLICT} per batch, in one transaction. Emits, per
 * sync, what it committed ({@link #COMMITTED}). A batch that PostgreSQL refuses for a value (SQLSTATE
 * class 22 or 23) is split until the refused rows stand alone; those become {@link #DEAD_LETTERS} with
 * their record ids, so one bad record never costs the others in its batch (other customers' among
 * them) their run. A lost connection is retried for the destination's reconnect window; a batch that
 * still cannot commit fails the bundle, so nothing downstream (the sweep, the watermark) runs on a
 * partial write.
 */
public final class WriteToPostgres extends PTransform<PCollection<StagedRow>, PCollectionTuple> {
  public static final int DEFAULT_BATCH_ROWS = 10_000;
  public static final long DEFAULT_BATCH_BYTES = 16L << 20;
  /** Metric namespace of per-sync rows-written counters (named by sync label), for progress lines. */
  public static final String PROGRESS_WRITTEN = "syncbeam.rows_written";
  public static final TupleTag<KV<String, RunCounts>> COMMITTED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final PostgresDestination destination;
  private final int batchRows;
  private final long batchBytes;

  private WriteToPostgres(PostgresDestination destination, int batchRows, long batchBytes) {
    this.destination = destination;
    this.batchRows = batchRows;
    this.batchBytes = batchBytes;
  }

  public static WriteToPostgres to(PostgresDestination destination) {
    return new WriteToPostgres(destination, DEFAULT_BATCH_ROWS, DEFAULT_BATCH_BYTES);
  }

  public WriteToPostgres withBatchRows(int rows) {
    return new WriteToPostgres(destination, rows, batchBytes);
  }

  public WriteToPostgres withBatchBytes(long bytes) {
    return new WriteToPostgres(destination, batchRows, bytes);
  }

  @Override
  public PCollectionTuple expand(PCollection<StagedRow> rows) {
    PCollectionTuple out = rows.apply("CopyAndMergeBatches", ParDo.of(new MergeBatchesFn(destination, batchRows, batchBytes))
        .withOutputTags(COMMITTED, TupleTagList.of(DEAD_LETTERS)));
    out.get(COMMITTED).setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class)));
    out.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return out;
  }

  /**
   * The guarded merge every write to a destination table goes through, in the caller's transaction:
   * staging, COPY, then the merge in which an older {@code _supaglue_last_modified_at} never
   * replaces a newer one. Public so a single-record write outside a pipeline (the serve cache refresh)
   * lands exactly as a sync's rows do.
   */
  public static void guardedMerge(Connection c, TableStatements sql, List<StagedRow> rows, boolean duplicateIds)
      throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      st.execute(sql.createStaging() + " ON COMMIT DELETE ROWS");
      copy(c, sql.copyIntoStaging(), rows);
      st.executeUpdate(sql.mergeFromStaging(duplicateIds));
    }
  }

  /** One buffered stream: 64 KB CopyData messages rather than one message per row. */
  private static void copy(Connection c, String copySql, List<StagedRow> rows) throws SQLException, IOException {
    try (PGCopyOutputStream copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), copySql, 1 << 16);
         Writer w = new OutputStreamWriter(copy, StandardCharsets.UTF_8)) {
      for (StagedRow r : rows) w.write(r.copyLine());
    }
  }

  static final class MergeBatchesFn extends DoFn<StagedRow, KV<String, RunCounts>> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteToPostgres.class);
    private static final Counter ROWS_MERGED = Metrics.counter(WriteToPostgres.class, "rows_merged");
    private static final Counter BATCHES = Metrics.counter(WriteToPostgres.class, "batches");
    private static final Counter ROWS_REFUSED = Metrics.counter(WriteToPostgres.class, "rows_refused");

    private final PostgresDestination destination;
    private final int batchRows;
    private final long batchBytes;
    private transient DestinationSession session;
    /** Tables where a direct COPY met an existing id: this worker merges through staging from then on. */
    private transient Set<String> directCopyRefused;
    private transient Map<String, Batch> batches;
    private transient Map<String, RunCounts> committed;
    private transient List<DeadLetter> refused;

    MergeBatchesFn(PostgresDestination destination, int batchRows, long batchBytes) {
      this.destination = destination;
      this.batchRows = batchRows;
      this.batchBytes = batchBytes;
    }

    private static final class Batch {
      final String table;
      final List<StagedRow> rows = new ArrayList<>();
      final Set<String> keys = new HashSet<>();
      long bytes;
      boolean duplicateIds;

      Batch(String table) {
        this.table = table;
      }

      Batch(String table, List<StagedRow> rows) {
        this(table);
        rows.forEach(this::add);
      }

      void add(StagedRow row) {
        rows.add(row);
        bytes += row.copyLine().length();
        if (!keys.add(row.syncLabel() + '\u0001' + row.id())) duplicateIds = true;
      }
    }

    @Setup
    public void setup() {
      session = DestinationSession.forBulkWrites(destination);
      directCopyRefused = new HashSet<>();
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
      committed = new HashMap<>();
      refused = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element StagedRow row) throws SQLException {
      Batch b = batches.computeIfAbsent(row.table(), Batch::new);
      b.add(row);
      if (b.rows.size() >= batchRows || b.bytes >= batchBytes) {
        write(b);
        batches.remove(row.table());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) throws SQLException {
      for (Batch b : batches.values()) write(b);
      batches.clear();
      committed.forEach((label, c) -> ctx.output(COMMITTED, KV.of(label, c), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      refused.forEach(d -> ctx.output(DEAD_LETTERS, d, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    /**
     * Commits a batch; when PostgreSQL refuses a value in it, commits each half on its own, down to
     * single rows, and keeps the refused ones as dead letters. The merge is idempotent, so a half that
     * was already committed when its sibling fails is simply there.
     */
    private void write(Batch batch) throws SQLException {
      String what = "writing " + batch.rows.size() + " rows to " + destination.schema() + "." + batch.table;
      try {
        session.inTransaction(what, c -> {
          merge(c, batch);
          return null;
        });
      } catch (DestinationSession.Failed e) {
        if (e.kind() != SqlFailure.DATA) throw e;
        if (batch.rows.size() == 1) {
          refuse(batch.rows.get(0), e);
          return;
        }
        int half = batch.rows.size() / 2;
        write(new Batch(batch.table, batch.rows.subList(0, half)));
        write(new Batch(batch.table, batch.rows.subList(half, batch.rows.size())));
        return;
      }
      committed(batch);
    }

    private void committed(Batch batch) {
      ROWS_MERGED.inc(batch.rows.size());
      BATCHES.inc();
      // crm_* rows repeat records their raw table already counts as written
      if (ObjectTables.forTableName(batch.table).family() == TableFamily.COMMON) return;
      ReadBackpressure.release(batch.rows.size()); // these records are finished: readers may read on
      Map<String, long[]> perSync = new HashMap<>();
      for (StagedRow r : batch.rows) {
        long[] acc = perSync.computeIfAbsent(r.syncLabel(), k -> new long[] {0, RunCounts.NO_TIMESTAMP});
        acc[0]++;
        acc[1] = Math.max(acc[1], r.lastModifiedMillis());
      }
      perSync.forEach((label, acc) -> {
        committed.put(label, committed.getOrDefault(label, RunCounts.ZERO).withWritten(acc[0], acc[1]));
        Metrics.counter(PROGRESS_WRITTEN, label).inc(acc[0]);
      });
    }

    /** One row PostgreSQL will not take: its record is kept, with the database's reason, as a dead letter. */
    private void refuse(StagedRow row, DestinationSession.Failed e) {
      TableDefinition table = ObjectTables.forTableName(row.table());
      String payload = CopyText.field(row.copyLine(), table.indexOf(table.rawDataColumn()));
      LOG.warn("{}: record {} refused by {}.{}: {}", row.syncLabel(), row.id(), destination.schema(), row.table(),
          SqlFailure.message(e));
      refused.add(DeadLetter.of(row.syncLabel(), row.id(), "record " + row.id() + " refused by " + destination.schema()
          + "." + row.table() + ": " + SqlFailure.message(e), payload));
      ROWS_REFUSED.inc();
      if (table.family() != TableFamily.COMMON) ReadBackpressure.release(1);
    }

    private void merge(Connection c, Batch batch) throws SQLException, IOException {
      TableStatements sql = new TableStatements(destination.schema(), ObjectTables.forTableName(batch.table));
      if (!batch.duplicateIds && !directCopyRefused.contains(batch.table) && copyDirect(c, batch, sql)) return;
      guardedMerge(c, sql, batch.rows, batch.duplicateIds);
    }

    /**
     * A first load's batch holds only ids the table does not have yet; then a plain COPY into the
     * table does exactly what the guarded merge would, in one pass instead of two. The first id that
     * exists aborts it (unique violation): back to the savepoint, and this worker stops trying for
     * that table, so a re-sync pays for at most one aborted COPY.
     */
    private boolean copyDirect(Connection c, Batch batch, TableStatements sql) throws SQLException, IOException {
      Savepoint before = c.setSavepoint();
      try {
        WriteToPostgres.copy(c, sql.copyIntoTable(), batch.rows);
        return true;
      } catch (SQLException | IOException e) {
        // pgjdbc reports a COPY the server aborted as an IOException around the SQLException
        if (!"23505".equals(SqlFailure.sqlState(e))) throw e;
        c.rollback(before);
        directCopyRefused.add(batch.table);
        return false;
      }
    }

    @Teardown
    public void teardown() {
      if (session != null) session.close();
    }
  }
}
