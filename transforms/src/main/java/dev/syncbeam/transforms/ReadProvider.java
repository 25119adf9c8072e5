package dev.syncbeam.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.extract.ExtractOptions;
import dev.syncbeam.transforms.extract.ExtractSplit;
import dev.syncbeam.transforms.extract.ExtractSplitReader;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.providers.Providers;
import java.util.List;
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

/**
 * Reads every planned sync's records from its extract folder. Work fans out by split (groups of
 * files, or byte ranges of a large NDJSON file) so a cluster spreads one large tenant over workers.
 * A sync whose files cannot be read reports a failure on {@link #FAILURES}; other syncs go on.
 */
public final class ReadProvider extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> FAILURES = new TupleTag<>() {};

  private final SyncPlan plan;

  public ReadProvider(SyncPlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    List<String> labels = plan.syncs().stream().map(PlannedSync::label).toList();
    long splitBytes = input.getPipeline().getOptions().as(ExtractOptions.class).getExtractSplitBytes();
    if (splitBytes <= 0) throw new IllegalArgumentException("--extractSplitBytes must be positive, not " + splitBytes);
    PCollectionTuple splits = input
        .apply("ListSyncs", Create.of(labels).withCoder(StringUtf8Coder.of()))
        .apply("PlanExtractSplits", ParDo.of(new PlanSplitsFn(plan, splitBytes))
            .withOutputTags(PlanSplitsFn.SPLITS, TupleTagList.of(FAILURES)));
    splits.get(FAILURES).setCoder(countsCoder());
    PCollectionTuple read = splits.get(PlanSplitsFn.SPLITS).setCoder(SerializableCoder.of(ExtractSplit.class))
        .apply("SpreadSplitsOverWorkers", Reshuffle.viaRandomKey())
        .apply("ReadExtractSplits", ParDo.of(new ReadSplitFn(plan)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    read.get(RECORDS).setCoder(SourceRecord.CODER);
    read.get(FAILURES).setCoder(countsCoder());
    return PCollectionTuple.of(RECORDS, read.get(RECORDS))
        .and(FAILURES, org.apache.beam.sdk.values.PCollectionList.of(splits.get(FAILURES)).and(read.get(FAILURES))
            .apply("CollectReadFailures", org.apache.beam.sdk.transforms.Flatten.pCollections()));
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

  static final class ReadSplitFn extends DoFn<ExtractSplit, SourceRecord> {
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

    @ProcessElement
    public void process(@Element ExtractSplit split, MultiOutputReceiver out) {
      PlannedSync sync = plan.get(split.syncLabel());
      ExtractSplitReader reader = new ExtractSplitReader(mapper, Providers.forName(sync.key().provider()), split.syncLabel());
      for (ExtractSplit.Piece piece : split.pieces()) {
        try {
          reader.read(piece, r -> out.get(RECORDS).output(r));
          FILES_READ.inc();
        } catch (Exception e) {
          out.get(FAILURES).output(KV.of(split.syncLabel(),
              RunCounts.failed("cannot read " + piece.file() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage())));
          return;
        }
      }
    }
  }
}
