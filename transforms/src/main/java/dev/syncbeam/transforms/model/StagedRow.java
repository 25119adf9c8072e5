package dev.syncbeam.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A destination row ready for COPY: the table it goes to, the sync and run it belongs to, its record
 * id and last-modified time (for batch bookkeeping), the row already encoded as one COPY text line,
 * and whether its run is a re-sync: a run that sweeps, over rows stored before it. The sink records
 * a re-sync's ids as seen, for its sweep, and compares its rows with the stored content hashes.
 */
public record StagedRow(String table, String syncLabel, long runId, String id, long lastModifiedMillis, String copyLine,
    boolean seen) {
  /** A delete check's record: only its id, which the sink records as seen by the run; no row is written. */
  public static StagedRow keyOnly(String table, String syncLabel, long runId, String id, boolean seen) {
    return new StagedRow(table, syncLabel, runId, id, 0, "", seen);
  }

  public boolean keyOnly() {
    return copyLine.isEmpty();
  }

  public static final Coder<StagedRow> CODER = new AtomicCoder<>() {
    private final Coder<String> str = StringUtf8Coder.of();
    private final Coder<Long> lng = VarLongCoder.of();
    private final Coder<Boolean> bool = BooleanCoder.of();

    @Override public void encode(StagedRow r, OutputStream out) throws IOException {
      str.encode(r.table, out);
      str.encode(r.syncLabel, out);
      lng.encode(r.runId, out);
      str.encode(r.id, out);
      lng.encode(r.lastModifiedMillis, out);
      str.encode(r.copyLine, out);
      bool.encode(r.seen, out);
    }

    @Override public StagedRow decode(InputStream in) throws IOException {
      return new StagedRow(str.decode(in), str.decode(in), lng.decode(in), str.decode(in), lng.decode(in), str.decode(in),
          bool.decode(in));
    }
  };
}
