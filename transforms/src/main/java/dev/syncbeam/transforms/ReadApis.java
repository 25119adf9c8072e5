package dev.syncbeam.transforms;

import static dev.syncbeam.transforms.ReadProvider.FAILURES;
import static dev.syncbeam.transforms.ReadProvider.RECORDS;
import static dev.syncbeam.transforms.ReadProvider.countsCoder;

import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.extract.ExtractSplit;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.ProviderApi.RecordSink;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.AuthenticationFailedException;
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
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The live-API syncs of a plan: each sync's run is planned into its provider's read tasks (this may
 * call the API), the tasks are spread over workers, and each task's pages are spilled to local disk
 * and read back piece by piece. Refused credentials pause the sync; any other API failure fails
 * that sync's run only.
 */
final class ReadApis extends PTransform<PCollection<String>, PCollectionTuple> {
  private final RunPlans plan;
  private final TreeMap<String, ProviderApi<?>> readers;

  ReadApis(RunPlans plan, TreeMap<String, ProviderApi<?>> readers) {
    this.plan = plan;
    this.readers = readers;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> runs) {
    PCollectionTuple tasks = runs
        .apply("PlanApiReads", ParDo.of(new PlanApiTasksFn(plan, readers)).withSideInputs(plan.sideInputs()).withOutputTags(PlanApiTasksFn.TASKS, TupleTagList.of(FAILURES)));
    tasks.get(FAILURES).setCoder(countsCoder());
    PCollectionTuple spilled = tasks.get(PlanApiTasksFn.TASKS).setCoder(ApiReadTask.CODER)
        .apply("SpreadApiReadsOverWorkers", Reshuffle.viaRandomKey())
        .apply("ReadApiPages", ParDo.of(new ReadApiTaskFn(plan, readers)).withSideInputs(plan.sideInputs())
            .withOutputTags(ReadApiTaskFn.SPILLED, TupleTagList.of(FAILURES).and(ReadApiTaskFn.UNREADABLE)));
    spilled.get(FAILURES).setCoder(countsCoder());
    spilled.get(ReadApiTaskFn.UNREADABLE).setCoder(SourceRecord.CODER);
    // no shuffle here: the spilled file is on this worker's disk, and the reader must run where it was written
    PCollectionTuple records = spilled.get(ReadApiTaskFn.SPILLED).setCoder(SerializableCoder.of(ExtractSplit.class))
        .apply("ReadSpilledPages", ReadSplits.of(plan));
    return PCollectionTuple.of(RECORDS, PCollectionList.of(records.get(RECORDS)).and(spilled.get(ReadApiTaskFn.UNREADABLE))
            .apply("ApiRecords", Flatten.pCollections()))
        .and(FAILURES, PCollectionList.of(tasks.get(FAILURES)).and(spilled.get(FAILURES)).and(records.get(FAILURES))
            .apply("ApiReadFailures", Flatten.pCollections()));
  }

  /** What a failed API call means for the sync: refused credentials pause it; anything else fails this run only. */
  static RunCounts apiFailure(PlannedSync sync, String doing, Exception e) {
    String message = sync.label() + ": " + doing + ": " + e.getMessage();
    return e instanceof AuthenticationFailedException ? RunCounts.authenticationFailed(message) : RunCounts.failed(message);
  }

  /** The configured reader of the sync's provider, else the provider's default one. */
  private static ProviderApi<?> api(Map<String, ProviderApi<?>> readers, PlannedSync sync) {
    ProviderApi<?> configured = readers.get(sync.key().provider());
    return configured != null ? configured : Providers.get(sync.key().provider()).api();
  }

  /** What the client asked of the API since its last report, on the run's counts (the run record shows it). */
  static void reportUsage(String label, ApiClient client, DoFn.MultiOutputReceiver out) {
    long[] used = client.takeUsage();
    if (used[0] > 0) out.get(FAILURES).output(KV.of(label, RunCounts.apiUsage(used[0], used[1])));
  }

  /** Breaks each API sync's run into read tasks (this may call the API: describe, Bulk job creation). */
  static final class PlanApiTasksFn extends DoFn<String, ApiReadTask> {
    static final TupleTag<ApiReadTask> TASKS = new TupleTag<>() {};
    private final RunPlans plan;
    private final TreeMap<String, ProviderApi<?>> readers;

    PlanApiTasksFn(RunPlans plan, TreeMap<String, ProviderApi<?>> readers) {
      this.plan = plan;
      this.readers = readers;
    }

    @ProcessElement
    public void process(@Element String label, MultiOutputReceiver out, ProcessContext c) {
      PlannedSync sync = plan.get(c, label);
      if (!sync.readsApi()) return; // ReadExtracts reads it
      ApiClient client = new ApiClient(sync.key().provider(), sync.api());
      try {
        for (ApiReadTask t : api(readers, sync).plan(sync, client)) out.get(TASKS).output(t);
      } catch (Exception e) {
        out.get(FAILURES).output(KV.of(label, apiFailure(sync, "planning the read", e)));
      } finally {
        reportUsage(label, client, out);
      }
    }
  }

  /**
   * Reads one API task page by page into a local NDJSON file, holding one page at a time, and hands
   * the file on as a split. A DoFn's outputs stay in memory until its call ends (on the Direct
   * runner), so emitting records here would hold a whole large object; the split reader that
   * follows yields between pieces and honours {@link ReadBackpressure}, and deletes the file.
   * Text the provider sent that did not parse (a malformed Bulk row) goes on at once, as unreadable.
   */
  static final class ReadApiTaskFn extends DoFn<ApiReadTask, ExtractSplit> {
    static final TupleTag<ExtractSplit> SPILLED = new TupleTag<>() {};
    static final TupleTag<SourceRecord> UNREADABLE = new TupleTag<>() {};
    private static final Counter TASKS_READ = Metrics.counter(ReadProvider.class, "api_tasks_read");
    private final RunPlans plan;
    private final TreeMap<String, ProviderApi<?>> readers;
    private transient Map<String, ApiClient> clients;

    ReadApiTaskFn(RunPlans plan, TreeMap<String, ProviderApi<?>> readers) {
      this.plan = plan;
      this.readers = readers;
    }

    @Setup
    public void setup() {
      clients = new HashMap<>();
      SpillFiles.removeOrphans();
    }

    @ProcessElement
    public void process(@Element ApiReadTask task, MultiOutputReceiver out, ProcessContext c) {
      PlannedSync sync = plan.get(c, task.syncLabel());
      // one client per sync and worker: a refreshed token serves every later task of that sync here
      ApiClient client = clients.computeIfAbsent(sync.runKey(), l -> new ApiClient(sync.key().provider(), sync.api()));
      Path file = null;
      try {
        file = SpillFiles.create();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          api(readers, sync).readPlanned(sync, task, client, new RecordSink() {
            @Override public void accept(String json, String origin) {
              try {
                w.write(json.indexOf('\n') < 0 ? json : json.replace('\n', ' ')); // a raw newline in JSON is whitespace
                w.write('\n');
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }

            @Override public void unreadable(String text, String origin, String error) {
              ReadBackpressure.acquire(1); // Normalize finishes every record it is given, this one too
              out.get(UNREADABLE).output(SourceRecord.unreadable(sync.runKey(), text, origin, error));
            }
          });
        }
        TASKS_READ.inc();
        if (Files.size(file) == 0) {
          Files.delete(file);
          return;
        }
        out.get(SPILLED).output(new ExtractSplit(sync.runKey(), ExtractLayout.ndjsonPieces(file), true));
      } catch (Exception e) {
        Exception cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        out.get(FAILURES).output(KV.of(sync.runKey(), apiFailure(sync, "reading " + task.describe(), cause)));
        if (file != null) file.toFile().delete();
      } finally {
        reportUsage(sync.runKey(), client, out);
      }
    }
  }
}
