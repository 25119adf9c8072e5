package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.CopyText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableFamily;
import dev.syncbeam.schemas.TableStatements;
import dev.syncbeam.transforms.ReadBackpressure;
import dev.syncbeam.transforms.model.BundleTotals;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.StagedRow;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import dev.syncbeam.schemas.bookkeeping.SeenKeysTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
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
      copyLines(c, sql.copyIntoStaging(), rows.stream().map(StagedRow::copyLine).toList());
      st.executeUpdate(sql.mergeFromStaging(duplicateIds));
    }
  }

  /** One buffered stream: 64 KB CopyData messages rather than one message per row. */
  private static void copyLines(Connection c, String copySql, List<String> lines) throws SQLException, IOException {
    try (PGCopyOutputStream copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), copySql, 1 << 16);
         Writer w = new OutputStreamWriter(copy, StandardCharsets.UTF_8)) {
      for (String line : lines) w.write(line);
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
    private transient SeenKeysTable seenKeys;
    /** Tables where a direct COPY met an existing id: this worker merges through staging from then on. */
    private transient Set<String> directCopyRefused;
    private transient Map<String, Batch> batches;
    private transient BundleTotals committed;
    private transient List<DeadLetter> refused;

    MergeBatchesFn(PostgresDestination destination, int batchRows, long batchBytes) {
      this.destination = destination;
      this.batchRows = batchRows;
      this.batchBytes = batchBytes;
    }

    private static final class Batch {
      final String table;
      /** A delete check's ids: recorded as seen by their run, nothing written to the table. */
      final boolean keysOnly;
      final List<StagedRow> rows = new ArrayList<>();
      final Set<String> keys = new HashSet<>();
      long bytes;
      boolean duplicateIds;

      Batch(String table, boolean keysOnly) {
        this.table = table;
        this.keysOnly = keysOnly;
      }

      Batch(Batch of, List<StagedRow> rows) {
        this(of.table, of.keysOnly);
        rows.forEach(this::add);
      }

      void add(StagedRow row) {
        rows.add(row);
        bytes += row.keyOnly() ? row.id().length() : row.copyLine().length();
        if (!keys.add(row.syncLabel() + '\u0001' + row.id())) duplicateIds = true;
      }
    }

    @Setup
    public void setup() {
      session = DestinationSession.forBulkWrites(destination);
      seenKeys = new SeenKeysTable(destination.schema());
      directCopyRefused = new HashSet<>();
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
      committed = new BundleTotals();
      refused = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element StagedRow row, BoundedWindow window) throws SQLException {
      committed.seen(row.syncLabel(), window);
      String batchKey = row.keyOnly() ? KEYS_ONLY + row.table() : row.table();
      Batch b = batches.computeIfAbsent(batchKey, k -> new Batch(row.table(), row.keyOnly()));
      b.add(row);
      if (b.rows.size() >= batchRows || b.bytes >= batchBytes) {
        write(b);
        batches.remove(batchKey);
      }
    }

    /** Batch-map key prefix of key-only rows, which never share a batch with full rows of their table. */
    private static final String KEYS_ONLY = "\u0000keys:";

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) throws SQLException {
      for (Batch b : batches.values()) write(b);
      batches.clear();
      for (DeadLetter d : refused) {
        BoundedWindow w = committed.windowOf(d.syncLabel());
        ctx.output(DEAD_LETTERS, d, w.maxTimestamp(), w);
      }
      committed.emit((total, window) -> ctx.output(COMMITTED, total, window.maxTimestamp(), window));
    }

    /**
     * Commits a batch; when PostgreSQL refuses a value in it, commits each half on its own, down to
     * single rows, and keeps the refused ones as dead letters. The merge is idempotent, so a half that
     * was already committed when its sibling fails is simply there.
     */
    private void write(Batch batch) throws SQLException {
      String what = "writing " + batch.rows.size() + " rows to " + destination.schema() + "." + batch.table;
      try {
        Map<String, StoredHashes> stored = storedHashes(batch);
        session.inTransaction(what, c -> {
          merge(c, batch, stored);
          return null;
        });
      } catch (DestinationSession.Failed e) {
        if (e.kind() != SqlFailure.DATA) throw e;
        if (batch.rows.size() == 1) {
          refuse(batch.rows.get(0), e);
          return;
        }
        int half = batch.rows.size() / 2;
        write(new Batch(batch, batch.rows.subList(0, half)));
        write(new Batch(batch, batch.rows.subList(half, batch.rows.size())));
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
      if (batch.keysOnly) return; // a delete check writes no row: nothing to count, no version for the watermark
      Map<String, long[]> perSync = new HashMap<>();
      for (StagedRow r : batch.rows) {
        long[] acc = perSync.computeIfAbsent(r.syncLabel(), k -> new long[] {0, RunCounts.NO_TIMESTAMP});
        acc[0]++;
        acc[1] = Math.max(acc[1], r.lastModifiedMillis());
      }
      perSync.forEach((runKey, acc) -> {
        committed.add(runKey, c -> c.withWritten(acc[0], acc[1]));
        Metrics.counter(PROGRESS_WRITTEN, PlannedSync.labelOf(runKey)).inc(acc[0]);
      });
    }

    /** One row PostgreSQL will not take: its record is kept, with the database's reason, as a dead letter. */
    private void refuse(StagedRow row, DestinationSession.Failed e) {
      TableDefinition table = ObjectTables.forTableName(row.table());
      String payload = row.keyOnly() ? null : CopyText.field(row.copyLine(), table.indexOf(table.rawDataColumn()));
      LOG.warn("{}: record {} refused by {}.{}: {}", row.syncLabel(), row.id(), destination.schema(), row.table(),
          SqlFailure.message(e));
      refused.add(DeadLetter.of(row.syncLabel(), row.id(), "record " + row.id() + " refused by " + destination.schema()
          + "." + row.table() + ": " + SqlFailure.message(e), payload));
      ROWS_REFUSED.inc();
      if (table.family() != TableFamily.COMMON) ReadBackpressure.release(1);
    }

    /**
     * The stored hashes of the re-synced syncs among the batch's rows, by run key; a sync too large
     * to hold is left out, and its rows are compared by probing.
     */
    private Map<String, StoredHashes> storedHashes(Batch batch) throws SQLException {
      Map<String, StoredHashes> out = new HashMap<>();
      if (batch.keysOnly) return out;
      TableDefinition def = ObjectTables.forTableName(batch.table);
      TableStatements sql = new TableStatements(destination.schema(), def);
      Set<String> asked = new HashSet<>();
      for (StagedRow r : batch.rows) {
        if (!r.seen() || !asked.add(r.syncLabel())) continue;
        String run = destination.url() + '\u0001' + sql.qualifiedTable() + '\u0001' + r.syncLabel() + '\u0001'
            + CopyText.rawFields(r.copyLine(), new int[] {def.indexOf(def.emittedAtColumn())});
        StoredHashes h = StoredHashes.of(run, sql, StoredHashes.scopeOf(def, r.copyLine()), session);
        if (h != null) out.put(r.syncLabel(), h);
      }
      return out;
    }

    /**
     * Records the batch's ids as seen by their runs where those sweep, then writes only what changed.
     * A re-sync's row is compared with its sync's stored hashes in memory. Any other batch goes
     * straight into the table when it is a first load's; otherwise its keys and content hashes are
     * staged and probed first. Only rows that are new or differ are sent in full and merged; an
     * unchanged row is not touched.
     */
    private void merge(Connection c, Batch batch, Map<String, StoredHashes> stored) throws SQLException, IOException {
      TableDefinition def = ObjectTables.forTableName(batch.table);
      TableStatements sql = new TableStatements(destination.schema(), def);
      List<String> seen = seenLines(def, batch);
      if (!seen.isEmpty()) copyLines(c, seenKeys.copyIn(), seen);
      if (batch.keysOnly) return;
      List<StagedRow> changed = new ArrayList<>();
      List<StagedRow> toProbe = batch.rows;
      if (!stored.isEmpty()) {
        toProbe = new ArrayList<>();
        int[] hashField = {def.indexOf(ObjectTables.CONTENT_HASH)};
        for (StagedRow r : batch.rows) {
          StoredHashes h = r.seen() ? stored.get(r.syncLabel()) : null;
          if (h == null) {
            toProbe.add(r);
          } else if (!h.unchanged(r.id(), Long.parseLong(CopyText.rawFields(r.copyLine(), hashField)))) {
            changed.add(r);
          }
        }
      } else if (!batch.duplicateIds && !directCopyRefused.contains(batch.table) && copyDirect(c, batch, sql)) {
        return;
      }
      if (!toProbe.isEmpty()) {
        try (Statement st = c.createStatement()) {
          st.execute(sql.createKeys() + " ON COMMIT DELETE ROWS");
          copyLines(c, sql.copyIntoKeys(), keyLines(def, toProbe));
          changed.addAll(changedRows(st, sql, def, toProbe));
        }
      }
      if (!changed.isEmpty()) guardedMerge(c, sql, changed, batch.duplicateIds);
    }

    /** The ids of rows whose run sweeps; the other runs never read theirs back. */
    private static List<String> seenLines(TableDefinition def, Batch batch) {
      List<String> lines = new ArrayList<>();
      // crm_* rows repeat the ids of their raw rows, which the same run records
      if (def.family() == TableFamily.COMMON) return lines;
      for (StagedRow r : batch.rows) {
        if (r.seen()) lines.add(r.runId() + "\t" + CopyText.appendText(new StringBuilder(), r.id()) + "\n");
      }
      return lines;
    }

    /** Each row's primary key and hash, cut from its COPY line as they are (already escaped). */
    private static List<String> keyLines(TableDefinition def, List<StagedRow> rows) {
      int[] fields = keyFields(def);
      List<String> lines = new ArrayList<>(rows.size());
      for (StagedRow r : rows) lines.add(CopyText.rawFields(r.copyLine(), fields) + "\n");
      return lines;
    }

    private static int[] keyFields(TableDefinition def) {
      int[] fields = new int[def.primaryKey().size() + 1];
      for (int i = 0; i < def.primaryKey().size(); i++) fields[i] = def.indexOf(def.primaryKey().get(i));
      fields[fields.length - 1] = def.indexOf(ObjectTables.CONTENT_HASH);
      return fields;
    }

    private static List<StagedRow> changedRows(Statement st, TableStatements sql, TableDefinition def, List<StagedRow> rows)
        throws SQLException {
      Set<String> changed = new HashSet<>();
      int keyColumns = def.primaryKey().size();
      // the staged keys are a batch, the table may hold millions: probe its primary key for each
      // staged key; a hash join the planner may prefer would read the whole table for every batch
      st.execute("SET LOCAL enable_hashjoin = off");
      st.execute("SET LOCAL enable_mergejoin = off");
      try (ResultSet rs = st.executeQuery(sql.changedKeys())) {
        while (rs.next()) {
          StringBuilder key = new StringBuilder();
          for (int i = 1; i <= keyColumns; i++) key.append(rs.getString(i)).append('\u0001');
          changed.add(key.toString());
        }
      }
      st.execute("SET LOCAL enable_hashjoin TO DEFAULT");
      st.execute("SET LOCAL enable_mergejoin TO DEFAULT");
      if (changed.size() == rows.size()) return rows;
      int[] pk = Arrays.copyOf(keyFields(def), keyColumns);
      List<StagedRow> out = new ArrayList<>(changed.size());
      for (StagedRow r : rows) {
        StringBuilder key = new StringBuilder();
        for (int f : pk) key.append(CopyText.field(r.copyLine(), f)).append('\u0001');
        if (changed.contains(key.toString())) out.add(r);
      }
      return out;
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
        copyLines(c, sql.copyIntoTable(), batch.rows.stream().map(StagedRow::copyLine).toList());
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
