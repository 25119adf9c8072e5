package dev.syncbeam.pipelines.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.sandbox.BenchmarkExtracts;
import dev.syncbeam.sandbox.EmbeddedPostgresServer;
import dev.syncbeam.schemas.Ddl;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.RawRows;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.hubspot.HubSpotRecords;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.postgresql.PGConnection;
import java.util.concurrent.atomic.AtomicLong;
import dev.syncbeam.schemas.ColumnType;

/**
 * {@code syncbeam bench}: on one PostgreSQL, the same N HubSpot-contact records loaded by raw COPY
 * (the limit), by a plain Beam JdbcIO.write of batched INSERT ... ON CONFLICT (what a Beam user
 * writes first), and by SyncBeam: a full refresh, an incremental run with 1% changed, and a full
 * refresh of the same N with 1% changed and 1% removed ({@code resync_1pct}), then a delete check
 * over the ids alone of what is left less another 1%. Each load is checked
 * for the row counts it must produce, and reports what it cost the database: the WAL it generated
 * and the tuples it inserted and updated in its table.
 */
public final class Benchmark {
  private static final TableDefinition SHAPE = ObjectTables.standard("hubspot", "contacts");
  private final int n;
  private final Path work;
  private final PrintStream out;

  public Benchmark(int n, Path work, PrintStream out) {
    this.n = n;
    this.work = work;
    this.out = out;
  }

  public void run() throws Exception {
    Path full = work.resolve("full"), changes = work.resolve("changes"), resync = work.resolve("resync-1pct");
    long t0 = System.nanoTime();
    BenchmarkExtracts.write(full.resolve("contacts"), n, i -> 0);
    long changed = BenchmarkExtracts.write(changes.resolve("contacts"), n, i -> i % 100 == 0 ? 1 : BenchmarkExtracts.ABSENT);
    // against what the incremental left: 1% changed again (version 2), 1% gone, 98% exactly as stored
    long kept = BenchmarkExtracts.write(resync.resolve("contacts"), n,
        i -> i % 100 == 1 ? BenchmarkExtracts.ABSENT : (i % 100 == 0 ? 2 : 0));
    // what a key-only listing returns after another 1% went: the ids alone
    Path ids = work.resolve("ids-minus-2pct");
    long stillLive = BenchmarkExtracts.writeIds(ids.resolve("contacts"), n, i -> i % 100 == 1 || i % 100 == 3 ? BenchmarkExtracts.ABSENT : 0);
    long bytes;
    try (Stream<Path> s = Files.list(full.resolve("contacts"))) {
      bytes = s.mapToLong(p -> p.toFile().length()).sum();
    }
    out.printf("generated %,d records (%.0f bytes each) + %,d changed + a full extract of %,d in %.1f s%n",
        n, (double) bytes / n, changed, kept, seconds(t0));

    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
      String url = pg.jdbcUrl("postgres");
      PostgresDestination dest = PostgresDestination.of(url, EmbeddedPostgresServer.SUPERUSER, EmbeddedPostgresServer.SUPERUSER, "supaglue");
      try (Connection c = dest.open()) {
        SchemaMigrator.standard().migrate(c, "supaglue");
        Ddl.ensureTable(c, "supaglue", SHAPE);
        Ddl.ensureTable(c, "supaglue", ObjectTables.standard("bench", "copy"));
        Ddl.ensureTable(c, "supaglue", ObjectTables.standard("bench", "jdbcio"));
        c.commit();
      }

      DatabaseCost.Snapshot before = DatabaseCost.snapshot(dest, "bench_copy");
      double copy = rawCopy(dest, full.resolve("contacts"));
      expect(dest, "bench_copy", n, 0);
      out.printf("raw_copy.rows_per_s %.0f  (%.1f s)%n", n / copy, copy);
      DatabaseCost copyCost = DatabaseCost.since(dest, before);
      out.println("raw_copy." + copyCost);

      before = DatabaseCost.snapshot(dest, "bench_jdbcio");
      double jdbc = jdbcIo(dest, full.resolve("contacts"));
      expect(dest, "bench_jdbcio", n, 0);
      out.printf("jdbcio.rows_per_s %.0f  (%.1f s)%n", n / jdbc, jdbc);
      out.println("jdbcio." + DatabaseCost.since(dest, before));

      HeapSampler heap = HeapSampler.start();
      SyncJob job = new SyncJob(dest, out);
      before = DatabaseCost.snapshot(dest, SHAPE.name());
      double fullRefresh = timed(() -> job.run(List.of(sync(full)), true, new String[0]));
      expect(dest, "hubspot_contacts", n, 0);
      out.printf("syncbeam.full_refresh.rows_per_s %.0f  (%.1f s)%n", n / fullRefresh, fullRefresh);
      DatabaseCost firstLoad = DatabaseCost.since(dest, before);
      out.println("syncbeam.full_refresh." + firstLoad);

      before = DatabaseCost.snapshot(dest, SHAPE.name());
      double incremental = timed(() -> job.run(List.of(sync(changes)), false, new String[0]));
      expect(dest, "hubspot_contacts", n, 0);
      out.printf("syncbeam.incremental_1pct.rows_per_s %.0f  (%.1f s for %,d changed)%n", changed / incremental, incremental, changed);
      out.println("syncbeam.incremental_1pct." + DatabaseCost.since(dest, before));

      before = DatabaseCost.snapshot(dest, SHAPE.name());
      double resyncTime = timed(() -> job.run(List.of(sync(resync)), true, new String[0]));
      expect(dest, "hubspot_contacts", n, n - kept);
      DatabaseCost resyncCost = DatabaseCost.since(dest, before);
      out.printf("syncbeam.resync_1pct.rows_per_s %.0f  (%.1f s: %,d read, 1%% changed, %,d marked deleted)%n",
          kept / resyncTime, resyncTime, kept, n - kept);
      out.println("syncbeam.resync_1pct." + resyncCost);
      // the same run is the full refresh that finds 1% deleted this line has always reported
      out.printf("syncbeam.full_refresh_1pct_deleted.rows_per_s %.0f  (%.1f s, %,d marked deleted)%n", kept / resyncTime,
          resyncTime, n - kept);

      before = DatabaseCost.snapshot(dest, SHAPE.name());
      double deleteCheck = timed(() -> job.checkingDeletes().run(List.of(sync(ids)), false, new String[0]));
      expect(dest, "hubspot_contacts", n, n - stillLive);
      out.printf("syncbeam.delete_check.ids_per_s %.0f  (%.1f s: %,d ids read, %,d more marked deleted)%n",
          stillLive / deleteCheck, deleteCheck, stillLive, kept - stillLive);
      out.println("syncbeam.delete_check." + DatabaseCost.since(dest, before));
      long heapPeak = heap.stop();

      out.printf("ratio.full_refresh_vs_copy %.2f%n", copy / fullRefresh);
      out.printf("ratio.full_refresh_vs_jdbcio %.2f%n", jdbc / fullRefresh);
      out.printf("ratio.incremental_vs_full %.3f%n", incremental / fullRefresh);
      out.printf("ratio.full_refresh_wal_vs_copy %.2f%n", (double) firstLoad.walBytes() / copyCost.walBytes());
      out.printf("max_heap_mb %.0f%n", Runtime.getRuntime().maxMemory() / 1048576.0);
      out.printf("peak_heap_after_gc_mb %.0f%n", heap.peakAfterCollection() / 1048576.0);
      out.printf("ratio.resync_vs_first_load %.3f%n", resyncTime / fullRefresh);
      out.printf("ratio.resync_wal_vs_first_load %.3f%n", (double) resyncCost.walBytes() / firstLoad.walBytes());
      out.printf("ratio.delete_check_vs_first_load %.3f%n", deleteCheck / fullRefresh);
      out.printf("peak_heap_mb %.0f%n", heapPeak / 1048576.0);
    }
  }

  private SyncDefinition sync(Path root) {
    return new SyncDefinition(new SyncKey("bench", "hubspot", "acme", "contacts"), root.toString(), SHAPE.name(), null,
        RunModePolicy.FULL_THEN_INCREMENTAL, 0);
  }

  /** The limit: rows rendered to COPY text beforehand (untimed), then streamed by one COPY. */
  private double rawCopy(PostgresDestination dest, Path dir) throws Exception {
    Path rendered = work.resolve("copy.txt");
    ObjectMapper mapper = new ObjectMapper();
    HubSpotRecords hubspot = new HubSpotRecords();
    Instant emitted = Instant.now();
    try (BufferedWriter w = Files.newBufferedWriter(rendered, StandardCharsets.UTF_8)) {
      for (Path f : files(dir)) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          for (String line; (line = r.readLine()) != null; ) {
            JsonNode rec = mapper.readTree(line);
            w.write(RawRows.line(SHAPE, new RawRows.RawRecord("bench", "hubspot", "acme", null, hubspot.id(rec), emitted,
                hubspot.lastModified(rec), hubspot.deleted(rec), line)));
          }
        }
      }
    }
    try (Connection c = dest.open(); InputStream in = Files.newInputStream(rendered)) {
      long t = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY supaglue.bench_copy (" + columns() + ") FROM STDIN", in, 1 << 16);
      c.commit();
      double s = seconds(t);
      Files.delete(rendered);
      return s;
    }
  }

  /** The baseline a Beam user writes first: TextIO, parse, JdbcIO.write with batched INSERT ... ON CONFLICT DO UPDATE. */
  private double jdbcIo(PostgresDestination dest, Path dir) throws Exception {
    String cols = columns();
    String params = SHAPE.columns().stream().map(c -> c.type() == ColumnType.JSONB ? "?::jsonb" : "?")
        .collect(Collectors.joining(", "));
    String updates = SHAPE.columns().stream().filter(c -> !SHAPE.primaryKey().contains(c.name()))
        .map(c -> c.name() + " = EXCLUDED." + c.name()).collect(Collectors.joining(", "));
    String sql = "INSERT INTO supaglue.bench_jdbcio (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
        + String.join(", ", SHAPE.primaryKey()) + ") DO UPDATE SET " + updates;
    Instant emitted = Instant.now();
    Pipeline p = Pipeline.create(SyncJob.pipelineOptions(new String[0]));
    p.apply("ReadNdjson", TextIO.read().from(dir.resolve("*.ndjson").toString()))
        .apply("InsertOnConflict", JdbcIO.<String>write()
            .withDataSourceConfiguration(dest.dataSourceConfiguration())
            .withStatement(sql)
            .withPreparedStatementSetter((JdbcIO.PreparedStatementSetter<String>) (line, ps) -> {
              JsonNode rec = JsonHolder.MAPPER.readTree(line);
              HubSpotRecords hubspot = new HubSpotRecords();
              ps.setString(1, "bench");
              ps.setString(2, "hubspot");
              ps.setString(3, "acme");
              ps.setString(4, hubspot.id(rec));
              Timestamps.bind(ps, 5, emitted);
              Timestamps.bind(ps, 6, hubspot.lastModified(rec));
              ps.setBoolean(7, hubspot.deleted(rec));
              ps.setString(8, line);
              ps.setString(9, "{}");
              ps.setBoolean(10, false);
              ps.setNull(11, Types.BIGINT);
            }));
    long t = System.nanoTime();
    p.run().waitUntilFinish();
    return seconds(t);
  }

  /** One mapper per JVM for the JdbcIO setter lambda (lambdas must stay serializable). */
  static final class JsonHolder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static String columns() {
    return SHAPE.columns().stream().map(c -> c.name()).collect(Collectors.joining(", "));
  }

  private void expect(PostgresDestination dest, String table, long rows, long deleted) throws Exception {
    try (Connection c = dest.open(); Statement st = c.createStatement();
         var rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE _supaglue_is_deleted) FROM supaglue." + table)) {
      rs.next();
      if (rs.getLong(1) != rows || rs.getLong(2) != deleted) {
        throw new IllegalStateException("benchmark check failed: " + table + " has " + rs.getLong(1) + " rows, " + rs.getLong(2)
            + " deleted; expected " + rows + " and " + deleted);
      }
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  interface Step {
    Object run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
    long t = System.nanoTime();
    Object result = step.run();
    if (result instanceof SyncJob.Result r && !r.allSucceeded()) throw new IllegalStateException("benchmark sync run failed");
    return seconds(t);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The most heap in use at once while SyncBeam ran, sampled every 50 ms (summing each pool's own
   * peak would overstate it: the pools peak at different moments), and the most in use right after
   * a collection: what the run holds, less the garbage a roomy -Xmx lets the collector leave for later.
   */
  static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final Thread thread;
    private final List<Runnable> unsubscribe = new java.util.ArrayList<>();

    private HeapSampler() {
      thread = new Thread(() -> {
        var memory = ManagementFactory.getMemoryMXBean();
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
    }

    /** After every collection: the heap pools' usage then, summed. */
    private void listenToCollections() {
      javax.management.NotificationListener listener = (notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) notification.getUserData());
        long after = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() != java.lang.management.MemoryType.HEAP) continue;
          var usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
          if (usage != null) after += usage.getUsed();
        }
        peakAfterGc.accumulateAndGet(after, Math::max);
      };
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (!(gc instanceof javax.management.NotificationEmitter emitter)) continue;
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (javax.management.ListenerNotFoundException ignored) {
            // already gone
          }
        });
      }
    }

    static HeapSampler start() {
      System.gc();
      HeapSampler s = new HeapSampler();
      s.listenToCollections();
      s.thread.start();
      return s;
    }

    long stop() {
      thread.interrupt();
      unsubscribe.forEach(Runnable::run);
      return peak.get();
    }

    long peakAfterCollection() {
      return peakAfterGc.get();
    }
  }
}
