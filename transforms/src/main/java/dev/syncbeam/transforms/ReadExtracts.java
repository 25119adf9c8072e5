package dev.syncbeam.transforms;

import static dev.syncbeam.transforms.ReadProvider.FAILURES;
import static dev.syncbeam.transforms.ReadProvider.RECORDS;
import static dev.syncbeam.transforms.ReadProvider.countsCoder;

import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.extract.ExtractSplit;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunPlans;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The extract-file syncs of a plan: each sync's files are cut into splits (groups of small files,
 * byte ranges of a large NDJSON file), the splits are spread over workers, and each is read piece
 * by piece. A folder that cannot be listed, or a file that cannot be read, fails that sync's run.
 */
final class ReadExtracts extends PTransform<PCollection<String>, PCollectionTuple> {
  private final RunPlans plan;
  private final long splitBytes;

  ReadExtracts(RunPlans plan, long splitBytes) {
    this.plan = plan;
    this.splitBytes = splitBytes;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> runs) {
    PCollectionTuple splits = runs
        .apply("PlanExtractSplits", ParDo.of(new PlanSplitsFn(plan, splitBytes)).withSideInputs(plan.sideInputs())
            .withOutputTags(PlanSplitsFn.SPLITS, TupleTagList.of(FAILURES)));
    splits.get(FAILURES).setCoder(countsCoder());
    PCollectionTuple records = splits.get(PlanSplitsFn.SPLITS).setCoder(SerializableCoder.of(ExtractSplit.class))
        .apply("SpreadSplitsOverWorkers", Reshuffle.viaRandomKey())
        .apply("ReadExtractSplits", ReadSplits.of(plan));
    return PCollectionTuple.of(RECORDS, records.get(RECORDS))
        .and(FAILURES, PCollectionList.of(splits.get(FAILURES)).and(records.get(FAILURES))
            .apply("ExtractReadFailures", Flatten.pCollections()));
  }

  static final class PlanSplitsFn extends DoFn<String, ExtractSplit> {
    static final TupleTag<ExtractSplit> SPLITS = new TupleTag<>() {};
    private final RunPlans plan;
    private final long splitBytes;

    PlanSplitsFn(RunPlans plan, long splitBytes) {
      this.plan = plan;
      this.splitBytes = splitBytes;
    }

    @ProcessElement
    public void process(@Element String label, MultiOutputReceiver out, ProcessContext c) {
      PlannedSync sync = plan.get(c, label);
      if (sync.readsApi()) return; // ReadApis reads it
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
}
