package dev.syncbeam.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One record as read from a source, not yet interpreted: its JSON text and where it came from. A
 * page that could not be read at all arrives with {@code readError} set and its text as payload.
 * {@code replacedUtf8} says the source bytes were not valid UTF-8 and the text holds U+FFFD instead.
 */
public record SourceRecord(String syncLabel, String payload, String origin, String readError, boolean replacedUtf8) {
  public static SourceRecord ok(String syncLabel, String payload, String origin) {
    return new SourceRecord(syncLabel, payload, origin, null, false);
  }

  public static SourceRecord unreadable(String syncLabel, String payload, String origin, String error) {
    return new SourceRecord(syncLabel, payload, origin, error, false);
  }

  /** The same record, marked as decoded from invalid UTF-8. */
  public SourceRecord withReplacedUtf8() {
    return new SourceRecord(syncLabel, payload, origin, readError, true);
  }

  public static final Coder<SourceRecord> CODER = new AtomicCoder<>() {
    private final Coder<String> str = StringUtf8Coder.of();
    private final Coder<String> opt = NullableCoder.of(StringUtf8Coder.of());

    @Override public void encode(SourceRecord r, OutputStream out) throws IOException {
      str.encode(r.syncLabel, out);
      opt.encode(r.payload, out);
      str.encode(r.origin, out);
      opt.encode(r.readError, out);
      BooleanCoder.of().encode(r.replacedUtf8, out);
    }

    @Override public SourceRecord decode(InputStream in) throws IOException {
      return new SourceRecord(str.decode(in), opt.decode(in), str.decode(in), opt.decode(in), BooleanCoder.of().decode(in));
    }
  };
}
