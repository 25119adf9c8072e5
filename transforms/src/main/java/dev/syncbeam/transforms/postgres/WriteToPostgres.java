package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableFamily;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.transforms.ReadBackpressure;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.StagedRow;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.postgresql.PGConnection;
import java.io.OutputStreamWriter;
import java.io.Writer;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink. Rows are buffered per table, streamed with COPY into a session-local staging table and
 * merged with one guarded {@code INSERT ... ON CONFLICT} per batch, in one transaction (DESIGN.md
 * §4). Emits, per sync, what it committed; a batch that cannot commit fails the bundle, so nothing
 * downstream (the sweep, the watermark) runs on a partial write.
 */
public final class WriteToPostgres extends PTransform<PCollection<StagedRow>, PCollection<KV<String, RunCounts>>> {
  public static final int DEFAULT_BATCH_ROWS = 10_000;
  /** Metric namespace of per-sync rows-written counters (named by sync label), for progress lines. */
  public static final String PROGRESS_WRITTEN = "syncbeam.rows_written";
  public static final long DEFAULT_BATCH_BYTES = 16L << 20;

  private final PostgresDestination destination;
  private final int batchRows;

  private WriteToPostgres(PostgresDestination destination, int batchRows) {
    this.destination = destination;
    this.batchRows = batchRows;
  }

  public static WriteToPostgres to(PostgresDestination destination) {
    return new WriteToPostgres(destination, DEFAULT_BATCH_ROWS);
  }

  public WriteToPostgres withBatchRows(int rows) {
    return new WriteToPostgres(destination, rows);
  }

  @Override
  public PCollection<KV<String, RunCounts>> expand(PCollection<StagedRow> rows) {
    return rows.apply("CopyAndMergeBatches", ParDo.of(new MergeBatchesFn(destination, batchRows)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class)));
  }

  static final class MergeBatchesFn extends DoFn<StagedRow, KV<String, RunCounts>> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteToPostgres.class);
    private static final Counter ROWS_MERGED = Metrics.counter(WriteToPostgres.class, "rows_merged");
    private static final Counter BATCHES = Metrics.counter(WriteToPostgres.class, "batches");
    private static final int ATTEMPTS = 3;

    private final PostgresDestination destination;
    private final int batchRows;
    private transient Connection conn;
    private transient Set<String> stagingCreated;
    /** Tables where a direct COPY met an existing id: this worker merges through staging from then on. */
    private transient Set<String> directCopyRefused;
    private transient Map<String, Batch> batches;
    private transient Map<String, RunCounts> committed;

    MergeBatchesFn(PostgresDestination destination, int batchRows) {
      this.destination = destination;
      this.batchRows = batchRows;
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

      void add(StagedRow row) {
        rows.add(row);
        bytes += row.copyLine().length();
        if (!keys.add(row.syncLabel() + '\u0001' + row.id())) duplicateIds = true;
      }
    }

    @Setup
    public void setup() throws SQLException {
      connect();
    }

    private void connect() throws SQLException {
      conn = destination.openForBulkWrites();
      stagingCreated = new HashSet<>();
      directCopyRefused = new HashSet<>();
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
      committed = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element StagedRow row) throws Exception {
      Batch b = batches.computeIfAbsent(row.table(), Batch::new);
      b.add(row);
      if (b.rows.size() >= batchRows || b.bytes >= DEFAULT_BATCH_BYTES) {
        flush(b);
        batches.remove(row.table());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) throws Exception {
      for (Batch b : batches.values()) flush(b);
      batches.clear();
      committed.forEach((label, c) -> ctx.output(KV.of(label, c), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    /** Retries a batch on a lost connection: the merge is idempotent, so replaying it is safe. */
    private void flush(Batch batch) throws Exception {
      for (int attempt = 1; ; attempt++) {
        try {
          merge(batch);
          break;
        } catch (SQLException | java.io.IOException e) {
          safeRollback();
          String state = sqlState(e);
          if (!isConnectionLoss(state) || attempt == ATTEMPTS) {
            throw new SQLException("writing " + batch.rows.size() + " rows to " + destination.schema() + "." + batch.table
                + " failed: " + rootMessage(e), state, e);
          }
          LOG.warn("connection lost while writing to {} (attempt {} of {}): {}; reconnecting", batch.table, attempt, ATTEMPTS, e.getMessage());
          Thread.sleep(500L * attempt);
          closeQuietly();
          connect();
        }
      }
      ROWS_MERGED.inc(batch.rows.size());
      BATCHES.inc();
      // common objects (issue 3): crm_* rows repeat records their raw table already counts as written
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

    private void merge(Batch batch) throws SQLException, java.io.IOException {
      TableStatements sql = new TableStatements(destination.schema(), ObjectTables.forTableName(batch.table));
      if (!batch.duplicateIds && !directCopyRefused.contains(batch.table) && copyDirect(batch, sql)) return;
      try (Statement st = conn.createStatement()) {
        if (stagingCreated.add(batch.table)) {
          st.execute(sql.createStaging() + " ON COMMIT DELETE ROWS");
        }
        copy(sql.copyIntoStaging(), batch);
        st.executeUpdate(sql.mergeFromStaging(batch.duplicateIds));
      }
      conn.commit();
    }

    /**
     * A first load's batch holds only ids the table does not have yet; then a plain COPY into the
     * table does exactly what the guarded merge would, in one pass instead of two. The first id that
     * exists aborts it (unique violation): back to the savepoint, and this worker stops trying for
     * that table, so a re-sync pays for at most one aborted COPY.
     */
    private boolean copyDirect(Batch batch, TableStatements sql) throws SQLException, java.io.IOException {
      java.sql.Savepoint before = conn.setSavepoint();
      try {
        copy(sql.copyIntoTable(), batch);
        conn.commit();
        return true;
      } catch (SQLException | java.io.IOException e) {
        // pgjdbc reports a COPY the server aborted as an IOException around the SQLException
        if (!"23505".equals(sqlState(e))) throw e;
        conn.rollback(before);
        directCopyRefused.add(batch.table);
        return false;
      }
    }

    /** One buffered stream: 64 KB CopyData messages rather than one message per row. */
    private void copy(String copySql, Batch batch) throws SQLException, java.io.IOException {
      try (PGCopyOutputStream copy = new PGCopyOutputStream(conn.unwrap(PGConnection.class), copySql, 1 << 16);
           Writer w = new OutputStreamWriter(copy, StandardCharsets.UTF_8)) {
        for (StagedRow r : batch.rows) w.write(r.copyLine());
      }
    }

    /** The SQL state of the first SQLException in the chain (COPY failures come wrapped in IOExceptions). */
    private static String sqlState(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof SQLException se && se.getSQLState() != null) return se.getSQLState();
      }
      return null;
    }

    private static String rootMessage(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof SQLException) return t.getMessage();
      }
      return e.getMessage();
    }

    private static boolean isConnectionLoss(String state) {
      return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    private void safeRollback() {
      try {
        if (conn != null && !conn.isClosed()) conn.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; reconnecting replaces it
      }
    }

    private void closeQuietly() {
      try {
        if (conn != null) conn.close();
      } catch (SQLException ignored) {
        // already closed by the server
      }
    }

    @Teardown
    public void teardown() {
      closeQuietly();
    }
  }
}
