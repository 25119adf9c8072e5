package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.Normalize;
import dev.syncbeam.transforms.ReadProvider;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.postgres.WriteDeadLetters;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import dev.syncbeam.transforms.run.FinishRun;
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
    PCollectionTuple read = pipeline.apply("ReadProvider", new ReadProvider(plan)
        .withSplitBytes(options.getExtractSplitBytes())
        .withApiReaders(ProviderCatalog.apiReaders(options)));
    PCollectionTuple normalized = read.get(ReadProvider.RECORDS).apply("Normalize", new Normalize(plan));
    PCollectionTuple written = normalized.get(Normalize.ROWS).apply("WriteToPostgres", WriteToPostgres.to(destination)
        .withBatchRows(options.getSinkBatchRows())
        .withBatchBytes(options.getSinkBatchBytes()));
    PCollection<KV<String, RunCounts>> deadLettered = PCollectionList.of(normalized.get(Normalize.DEAD_LETTERS))
        .and(written.get(WriteToPostgres.DEAD_LETTERS))
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", new WriteDeadLetters(destination, plan));
    PCollectionList.of(read.get(ReadProvider.FAILURES))
        .and(normalized.get(Normalize.COUNTS))
        .and(written.get(WriteToPostgres.COMMITTED))
        .and(deadLettered)
        .apply("FinishRun", new FinishRun(plan, destination));
  }
}
