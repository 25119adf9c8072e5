package dev.syncbeam.transforms;

import static dev.syncbeam.transforms.ReadProvider.FAILURES;
import static dev.syncbeam.transforms.ReadProvider.RECORDS;
import static dev.syncbeam.transforms.ReadProvider.countsCoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.extract.ExtractSplit;
import dev.syncbeam.transforms.extract.ExtractSplitReader;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.providers.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Reads splits piece by piece as a splittable DoFn: a runner may stop it between pieces and resume
 * the rest later. The Direct runner does so after about 100 outputs, which lets the steps downstream
 * drain what was read instead of the whole extract piling up in memory.
 */
final class ReadSplits extends PTransform<PCollection<ExtractSplit>, PCollectionTuple> {
  private final RunPlans plan;

  private ReadSplits(RunPlans plan) {
    this.plan = plan;
  }

  static ReadSplits of(RunPlans plan) {
    return new ReadSplits(plan);
  }

  @Override
  public PCollectionTuple expand(PCollection<ExtractSplit> splits) {
    PCollectionTuple out = splits.apply("ReadPieces", ParDo.of(new ReadSplitFn(plan)).withSideInputs(plan.sideInputs()).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    out.get(RECORDS).setCoder(SourceRecord.CODER);
    out.get(FAILURES).setCoder(countsCoder());
    return out;
  }

  @DoFn.BoundedPerElement
  static final class ReadSplitFn extends DoFn<ExtractSplit, SourceRecord> {
    private static final Duration YIELD = Duration.millis(100);
    private static final Counter FILES_READ = Metrics.counter(ReadProvider.class, "files_read");
    private final RunPlans plan;
    private transient ObjectMapper mapper;

    ReadSplitFn(RunPlans plan) {
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
        MultiOutputReceiver out, ProcessContext c) {
      PlannedSync sync = plan.get(c, split.syncLabel());
      ExtractSplitReader reader = new ExtractSplitReader(mapper, Providers.get(sync.key().provider()).records(), split.syncLabel());
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
