package dev.syncbeam.transforms;

import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.providers.ProviderApi;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads every planned sync's records, from its extract files ({@link ReadExtracts}) or its
 * provider's live API ({@link ReadApis}). A sync that cannot be read completely reports a failure
 * on {@link #FAILURES}; other syncs go on. Its input is the run keys to read ({@link
 * PlannedSync#runKey()}): a batch creates them from its plan, a stream plans them at each tick.
 */
public final class ReadProvider extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> FAILURES = new TupleTag<>() {};

  private final RunPlans plan;
  private final long splitBytes;
  /** Live-API readers the assembly configured (page sizes, Bulk thresholds); a provider not in it reads with defaults. */
  private final TreeMap<String, ProviderApi<?>> apiReaders;

  public ReadProvider(RunPlans plan) {
    this(plan, ExtractLayout.SPLIT_BYTES, new TreeMap<>());
  }

  private ReadProvider(RunPlans plan, long splitBytes, TreeMap<String, ProviderApi<?>> apiReaders) {
    if (splitBytes <= 0) throw new IllegalArgumentException("the extract split size must be positive, not " + splitBytes);
    this.plan = plan;
    this.splitBytes = splitBytes;
    this.apiReaders = apiReaders;
  }

  /** How much extract one worker reads at a time; smaller splits spread one sync over more workers. */
  public ReadProvider withSplitBytes(long bytes) {
    return new ReadProvider(plan, bytes, apiReaders);
  }

  /** The live-API reader to use, by provider name, instead of the provider's default one. */
  public ReadProvider withApiReaders(Map<String, ? extends ProviderApi<?>> readers) {
    return new ReadProvider(plan, splitBytes, new TreeMap<>(readers));
  }

  /** The run keys of a fixed plan, to feed a batch's ReadProvider. */
  public static Create.Values<String> runsOf(SyncPlan plan) {
    return Create.of(plan.syncs().stream().map(PlannedSync::runKey).toList()).withCoder(StringUtf8Coder.of());
  }

  @Override
  public PCollectionTuple expand(PCollection<String> input) {
    PCollectionTuple files = input.apply("ReadExtracts", new ReadExtracts(plan, splitBytes));
    PCollectionTuple apis = input.apply("ReadApis", new ReadApis(plan, apiReaders));
    return PCollectionTuple
        .of(RECORDS, PCollectionList.of(files.get(RECORDS)).and(apis.get(RECORDS)).apply("AllRecords", Flatten.pCollections()))
        .and(FAILURES, PCollectionList.of(files.get(FAILURES)).and(apis.get(FAILURES))
            .apply("AllReadFailures", Flatten.pCollections()));
  }

  static KvCoder<String, RunCounts> countsCoder() {
    return KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RunCounts.class));
  }
}
