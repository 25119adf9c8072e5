package dev.syncbeam.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.extract.ExtractSplit;
import dev.syncbeam.transforms.extract.ExtractSplitReader;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.providers.Providers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.ProviderApis;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.AuthenticationFailedException;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Reads every planned sync's records from its extract folder. Work fans out by split (groups of
 * files, or byte ranges of a large NDJSON file) so a cluster spreads one large tenant over workers.
 * A sync whose files cannot be read reports a failure on {@link #FAILURES}; other syncs go on.
 */
public final class ReadProvider extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> FAILURES = new TupleTag<>() {};

  private final SyncPlan plan;
  private final long splitBytes;
  /** Live-API readers configured by the assembly (page sizes, Bulk thresholds); a provider not in it reads with defaults. */
  private final TreeMap<String, ProviderApi> apiReaders;

  public ReadProvider(SyncPlan plan) {
    this(plan, ExtractLayout.SPLIT_BYTES, new TreeMap<>());
  }

  private ReadProvider(SyncPlan plan, long splitBytes, TreeMap<String, ProviderApi> apiReaders) {
    if (splitBytes <= 0) throw new IllegalArgumentException("extract split bytes must be positive, not " + splitBytes);
    this.plan = plan;
    this.splitBytes = splitBytes;
    this.apiReaders = apiReaders;
  }

  /** How much extract one worker reads at a time. */
  public ReadProvider withSplitBytes(long bytes) {
    return new ReadProvider(plan, bytes, apiReaders);
  }

  /** The live-API reader to use per provider name. */
  public ReadProvider withApiReaders(Map<String, ? extends ProviderApi> readers) {
    return new ReadProvider(plan, splitBytes, new TreeMap<>(readers));
  }

  static ProviderApi apiReader(Map<String, ProviderApi> readers, String provider) {
    ProviderApi reader = readers.get(provider);
    return reader != null ? reader : ProviderApis.forProvider(provider);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    List<String> fromFiles = plan.syncs().stream().filter(s -> !s.readsApi()).map(PlannedSync::label).toList();
    List<String> fromApis = plan.syncs().stream().filter(PlannedSync::readsApi).map(PlannedSync::label).toList();

    PCollectionTuple splits = input
        .apply("ListExtractSyncs", Create.of(fromFiles).withCoder(StringUtf8Coder.of()))
        .apply("PlanExtractSplits", ParDo.of(new PlanSplitsFn(plan, splitBytes))
            .withOutputTags(PlanSplitsFn.SPLITS, TupleTagList.of(FAILURES)));
    splits.get(FAILURES).setCoder(countsCoder());
    PCollectionTuple fileRecords = splits.get(PlanSplitsFn.SPLITS).setCoder(SerializableCoder.of(ExtractSplit.class))
        .apply("SpreadSplitsOverWorkers", Reshuffle.viaRandomKey())
        .apply("ReadExtractSplits", ParDo.of(new ReadSplitFn(plan)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    fileRecords.get(RECORDS).setCoder(SourceRecord.CODER);
    fileRecords.get(FAILURES).setCoder(countsCoder());

    PCollectionTuple tasks = input
        .apply("ListApiSyncs", Create.of(fromApis).withCoder(StringUtf8Coder.of()))
        .apply("PlanApiReads", ParDo.of(new PlanApiTasksFn(plan, apiReaders)).withOutputTags(PlanApiTasksFn.TASKS, TupleTagList.of(FAILURES)));
    tasks.get(FAILURES).setCoder(countsCoder());
    PCollectionTuple spilled = tasks.get(PlanApiTasksFn.TASKS).setCoder(SerializableCoder.of(ApiReadTask.class))
        .apply("SpreadApiReadsOverWorkers", Reshuffle.viaRandomKey())
        .apply("ReadApiPages", ParDo.of(new ReadApiTaskFn(plan, apiReaders)).withOutputTags(ReadApiTaskFn.SPILLED, TupleTagList.of(FAILURES)));
    spilled.get(FAILURES).setCoder(countsCoder());
    // no shuffle here: the spilled file is on this worker's disk, and the reader must run where it was written
    PCollectionTuple apiRecords = spilled.get(ReadApiTaskFn.SPILLED).setCoder(SerializableCoder.of(ExtractSplit.class))
        .apply("ReadSpilledPages", ParDo.of(new ReadSplitFn(plan)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    apiRecords.get(RECORDS).setCoder(SourceRecord.CODER);
    apiRecords.get(FAILURES).setCoder(countsCoder());

    return PCollectionTuple
        .of(RECORDS, PCollectionList.of(fileRecords.get(RECORDS)).and(apiRecords.get(RECORDS))
            .apply("AllRecords", Flatten.pCollections()))
        .and(FAILURES, PCollectionList.of(splits.get(FAILURES)).and(fileRecords.get(FAILURES))
            .and(tasks.get(FAILURES)).and(spilled.get(FAILURES)).and(apiRecords.get(FAILURES))
            .apply("CollectReadFailures", Flatten.pCollections()));
  }

  /** What a failed API call means for the sync: refused credentials pause it; anything else fails this run only. */
  static RunCounts apiFailure(PlannedSync sync, String doing, Exception e) {
    String message = sync.label() + ": " + doing + ": " + e.getMessage();
    return e instanceof AuthenticationFailedException ? RunCounts.authenticationFailed(message) : RunCounts.failed(message);
  }

  /** Breaks each API sync's run into read tasks (this may call the API: describe, Bulk job creation). */
  static final class PlanApiTasksFn extends DoFn<String, ApiReadTask> {
    static final TupleTag<ApiReadTask> TASKS = new TupleTag<>() {};
    private final SyncPlan plan;
    private final TreeMap<String, ProviderApi> readers;

    PlanApiTasksFn(SyncPlan plan, TreeMap<String, ProviderApi> readers) {
      this.plan = plan;
      this.readers = readers;
    }

    @ProcessElement
    public void process(@Element String label, MultiOutputReceiver out) {
      PlannedSync sync = plan.get(label);
      try {
        ApiClient client = new ApiClient(sync.key().provider(), sync.api());
        for (ApiReadTask t : apiReader(readers, sync.key().provider()).plan(sync, client)) out.get(TASKS).output(t);
      } catch (Exception e) {
        out.get(FAILURES).output(KV.of(label, apiFailure(sync, "planning the read", e)));
      }
    }
  }

  /**
   * Reads one API task page by page into a local NDJSON file, holding one page at a time, and hands
   * the file on as a split. A DoFn's outputs stay in memory until its call ends (on the Direct
   * runner), so emitting records here would hold a whole large object; the split reader that
   * follows yields between pieces and honours {@link ReadBackpressure}, and deletes the file.
   */
  static final class ReadApiTaskFn extends DoFn<ApiReadTask, ExtractSplit> {
    static final TupleTag<ExtractSplit> SPILLED = new TupleTag<>() {};
    private static final Counter TASKS_READ = Metrics.counter(ReadProvider.class, "api_tasks_read");
    private final SyncPlan plan;
    private final TreeMap<String, ProviderApi> readers;
    private transient Map<String, ApiClient> clients;

    ReadApiTaskFn(SyncPlan plan, TreeMap<String, ProviderApi> readers) {
      this.plan = plan;
      this.readers = readers;
    }

    @Setup
    public void setup() {
      clients = new HashMap<>();
      SpillFiles.removeOrphans();
    }

    @ProcessElement
    public void process(@Element ApiReadTask task, MultiOutputReceiver out) {
      PlannedSync sync = plan.get(task.syncLabel());
      // one client per sync and worker: a refreshed token serves every later task of that sync here
      ApiClient client = clients.computeIfAbsent(sync.label(), l -> new ApiClient(sync.key().provider(), sync.api()));
      Path file = null;
      try {
        file = SpillFiles.create();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          apiReader(readers, sync.key().provider()).read(sync, task, client, (json, origin) -> {
            try {
              w.write(json.indexOf('\n') < 0 ? json : json.replace('\n', ' ')); // a raw newline in JSON is whitespace
              w.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
        TASKS_READ.inc();
        if (Files.size(file) == 0) {
          Files.delete(file);
          return;
        }
        out.get(SPILLED).output(new ExtractSplit(sync.label(), ExtractLayout.ndjsonPieces(file), true));
      } catch (Exception e) {
        Exception cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        out.get(FAILURES).output(KV.of(sync.label(), apiFailure(sync, "reading " + task.kind(), cause)));
        if (file != null) file.toFile().delete();
      }
    }
  }


  static KvCoder<String, RunCounts> countsCoder() {
    return KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class));
  }

  static final class PlanSplitsFn extends DoFn<String, ExtractSplit> {
    static final TupleTag<ExtractSplit> SPLITS = new TupleTag<>() {};
    private final SyncPlan plan;
    private final long splitBytes;

    PlanSplitsFn(SyncPlan plan, long splitBytes) {
      this.plan = plan;
      this.splitBytes = splitBytes;
    }

    @ProcessElement
    public void process(@Element String label, MultiOutputReceiver out) {
      PlannedSync sync = plan.get(label);
      try {
        for (ExtractSplit s : ExtractLayout.splits(label, ExtractLayout.files(sync.extractRoot(), sync.key().object()),
            splitBytes)) {
          out.get(SPLITS).output(s);
        }
      } catch (Exception e) {
        out.get(FAILURES).output(KV.of(label, RunCounts.failed(e.getMessage())));
      }
    }
  }

  /**
   * Reads a split piece by piece as a splittable DoFn: a runner may stop it between pieces and
   * resume the rest later. The Direct runner does so after about 100 outputs, which lets the steps
   * downstream drain what was read instead of the whole extract piling up in memory.
   */
  @DoFn.BoundedPerElement
  static final class ReadSplitFn extends DoFn<ExtractSplit, SourceRecord> {
    private static final org.joda.time.Duration YIELD = org.joda.time.Duration.millis(100);
    private static final Counter FILES_READ = Metrics.counter(ReadProvider.class, "files_read");
    private final SyncPlan plan;
    private transient ObjectMapper mapper;

    ReadSplitFn(SyncPlan plan) {
      this.plan = plan;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
    }

    @GetInitialRestriction
    public OffsetRange pieces(@Element ExtractSplit split) {
      return new OffsetRange(0, split.pieces().size());
    }

    @GetSize
    public double bytesLeft(@Element ExtractSplit split, @Restriction OffsetRange range) {
      double bytes = 0;
      for (long i = range.getFrom(); i < range.getTo(); i++) bytes += split.pieces().get((int) i).length();
      return bytes;
    }

    @ProcessElement
    public ProcessContinuation process(@Element ExtractSplit split, RestrictionTracker<OffsetRange, Long> pieces,
        MultiOutputReceiver out) {
      PlannedSync sync = plan.get(split.syncLabel());
      ExtractSplitReader reader = new ExtractSplitReader(mapper, Providers.forName(sync.key().provider()), split.syncLabel());
      for (long i = pieces.currentRestriction().getFrom(); ; i++) {
        if (ReadBackpressure.shouldYield()) return ProcessContinuation.resume().withResumeDelay(YIELD);
        if (!pieces.tryClaim(i)) return ProcessContinuation.stop();
        ExtractSplit.Piece piece = split.pieces().get((int) i);
        try {
          reader.read(piece, r -> {
            ReadBackpressure.acquire(1);
            out.get(RECORDS).output(r);
          });
          FILES_READ.inc();
          if (split.deleteWhenRead() && i == split.pieces().size() - 1) Files.deleteIfExists(Path.of(piece.file()));
        } catch (Exception e) {
          // the sync's run fails (no sweep, no watermark); its other pieces are still read, harmlessly
          out.get(FAILURES).output(KV.of(split.syncLabel(),
              RunCounts.failed("cannot read " + piece.file() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
      }
    }
  }

}
