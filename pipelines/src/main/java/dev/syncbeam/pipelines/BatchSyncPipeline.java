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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/** The batch sync graph: ReadProvider → Normalize → WriteToPostgres → FinishRun (DESIGN.md §4). */
public final class BatchSyncPipeline {
  private BatchSyncPipeline() {}

  public static void build(Pipeline pipeline, SyncPlan plan, PostgresDestination destination) {
    PCollectionTuple read = pipeline.apply("ReadProvider", new ReadProvider(plan));
    PCollectionTuple normalized = read.get(ReadProvider.RECORDS).apply("Normalize", new Normalize(plan));
    PCollection<KV<String, RunCounts>> written =
        normalized.get(Normalize.ROWS).apply("WriteToPostgres", WriteToPostgres.to(destination));
    PCollection<KV<String, RunCounts>> deadLettered =
        normalized.get(Normalize.DEAD_LETTERS).apply("WriteDeadLetters", new WriteDeadLetters(destination, plan));
    PCollectionList.of(read.get(ReadProvider.FAILURES))
        .and(normalized.get(Normalize.COUNTS))
        .and(written)
        .and(deadLettered)
        .apply("FinishRun", new FinishRun(plan, destination));
  }
}
