package dev.syncbeam.transforms;

import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.SyncPlan;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads every planned sync's records, from its extract files ({@link ReadExtracts}) or its
 * provider's live API ({@link ReadApis}). A sync that cannot be read completely reports a failure
 * on {@link #FAILURES}; other syncs go on.
 */
public final class ReadProvider extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> FAILURES = new TupleTag<>() {};

  private final SyncPlan plan;
  private final long splitBytes;

  public ReadProvider(SyncPlan plan) {
    this(plan, ExtractLayout.SPLIT_BYTES);
  }

  private ReadProvider(SyncPlan plan, long splitBytes) {
    if (splitBytes <= 0) throw new IllegalArgumentException("the extract split size must be positive, not " + splitBytes);
    this.plan = plan;
    this.splitBytes = splitBytes;
  }

  /** How much extract one worker reads at a time; smaller splits spread one sync over more workers. */
  public ReadProvider withSplitBytes(long bytes) {
    return new ReadProvider(plan, bytes);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    PCollectionTuple files = input.apply("ReadExtracts", new ReadExtracts(plan, splitBytes));
    PCollectionTuple apis = input.apply("ReadApis", new ReadApis(plan));
    return PCollectionTuple
        .of(RECORDS, PCollectionList.of(files.get(RECORDS)).and(apis.get(RECORDS)).apply("AllRecords", Flatten.pCollections()))
        .and(FAILURES, PCollectionList.of(files.get(FAILURES)).and(apis.get(FAILURES))
            .apply("AllReadFailures", Flatten.pCollections()));
  }

  static KvCoder<String, RunCounts> countsCoder() {
    return KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class));
  }
}
