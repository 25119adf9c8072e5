package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.Normalize;
import dev.syncbeam.transforms.ReadProvider;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.postgres.WriteDeadLetters;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import dev.syncbeam.transforms.run.FinishRun;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The batch sync graph: ReadProvider → Normalize → WriteToPostgres → FinishRun, with every record
 * set aside on the way (unreadable, refused by Normalize or by the database) kept as a dead letter.
 */
public final class BatchSyncPipeline {
  private BatchSyncPipeline() {}

  /** The transforms are configured here, by value, from the options; none of them reads options itself. */
  public static void build(Pipeline pipeline, SyncPlan plan, PostgresDestination destination, SyncOptions options) {
    PCollection<String> runs = pipeline.apply("ListRuns", ReadProvider.runsOf(plan));
    apply(runs, RunPlans.of(plan), destination, options, List.of());
  }

  /**
   * The one chain of transforms a batch and a stream share, from run keys to finished runs.
   * {@code moreCounts} are further inputs of FinishRun's per-run total (a stream's planned runs).
   */
  static PCollection<KV<String, String>> apply(PCollection<String> runs, RunPlans plans, PostgresDestination destination,
      SyncOptions options, List<PCollection<KV<String, RunCounts>>> moreCounts) {
    PCollectionTuple read = runs.apply("ReadProvider", new ReadProvider(plans)
        .withSplitBytes(options.getExtractSplitBytes())
        .withApiReaders(ProviderCatalog.apiReaders(options)));
    PCollectionTuple normalized = read.get(ReadProvider.RECORDS).apply("Normalize", new Normalize(plans));
    PCollectionTuple written = normalized.get(Normalize.ROWS).apply("WriteToPostgres", WriteToPostgres.to(destination)
        .withBatchRows(options.getSinkBatchRows())
        .withBatchBytes(options.getSinkBatchBytes()));
    PCollection<KV<String, RunCounts>> deadLettered = PCollectionList.of(normalized.get(Normalize.DEAD_LETTERS))
        .and(written.get(WriteToPostgres.DEAD_LETTERS))
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", new WriteDeadLetters(destination, plans));
    return PCollectionList.of(read.get(ReadProvider.FAILURES))
        .and(normalized.get(Normalize.COUNTS))
        .and(written.get(WriteToPostgres.COMMITTED))
        .and(deadLettered)
        .and(moreCounts)
        .apply("FinishRun", new FinishRun(plans, destination));
  }
}
