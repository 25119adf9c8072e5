package dev.syncbeam.transforms.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.providers.ProviderRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads the pieces of one split into {@link SourceRecord}s. A page or line that does not parse
 * becomes an unreadable record (a dead letter later); a file that cannot be opened or read throws,
 * which fails the sync's run. Text that was not valid UTF-8 is decoded with U+FFFD in place of
 * the bad bytes and the record is marked, so the run counts and names it. Files are opened through
 * Beam's {@link FileSystems}: a local path or any scheme registered there ({@code s3://}, {@code gs://}).
 */
public final class ExtractSplitReader {
  private final ObjectMapper mapper;
  private final ProviderRecords provider;
  private final String syncLabel;

  public ExtractSplitReader(ObjectMapper mapper, ProviderRecords provider, String syncLabel) {
    this.mapper = mapper;
    this.provider = provider;
    this.syncLabel = syncLabel;
  }

  public void read(ExtractSplit.Piece piece, Consumer<SourceRecord> out) throws IOException {
    String file = piece.file();
    switch (piece.format()) {
      case JSON_PAGE -> readPage(file, out);
      case NDJSON -> readLines(file, piece.start(), piece.end(), out);
      case CSV -> readCsv(file, out);
    }
  }

  private void readPage(String file, Consumer<SourceRecord> out) throws IOException {
    byte[] bytes;
    try (InputStream in = ExtractLayout.open(file)) {
      bytes = in.readAllBytes();
    }
    Utf8Text.Decoded decoded = Utf8Text.decode(bytes, 0, bytes.length);
    String text = decoded.text();
    List<JsonNode> records;
    try {
      records = provider.recordsOfPage(mapper.readTree(text));
    } catch (JsonProcessingException e) {
      out.accept(SourceRecord.unreadable(syncLabel, text, file,
          "invalid JSON in " + file + ": " + e.getOriginalMessage()));
      return;
    } catch (IllegalArgumentException e) {
      out.accept(SourceRecord.unreadable(syncLabel, text, file, file + ": " + e.getMessage()));
      return;
    }
    int i = 0;
    for (JsonNode r : records) {
      String json = mapper.writeValueAsString(r);
      SourceRecord record = SourceRecord.ok(syncLabel, json, file + " record " + (i++));
      // the page had invalid bytes: the records that now hold U+FFFD are the ones that had them
      out.accept(decoded.replaced() && json.indexOf('\uFFFD') >= 0 ? record.withReplacedUtf8() : record);
    }
  }

  /**
   * The lines whose first byte lies in [start, end): the piece before owns a line that straddles
   * {@code start}. Scans a byte buffer for newlines (reading byte by byte through a stream is
   * several times slower, and this is the hottest loop of a large extract).
   */
  private void readLines(String file, long start, long end, Consumer<SourceRecord> out) throws IOException {
    try (ReadableByteChannel opened = FileSystems.open(FileSystems.matchNewResource(file, false))) {
      long pos = start;
      if (start > 0) {
        // local files, S3 and GCS all open seekable: a piece reads only its own byte range
        if (!(opened instanceof SeekableByteChannel ch)) throw new IOException(file + " cannot be read from byte " + start + ": not seekable");
        ch.position(start - 1);
        ByteBuffer previous = ByteBuffer.allocate(1);
        while (previous.hasRemaining()) {
          if (ch.read(previous) < 0) throw new IOException(file + " ended before byte " + start);
        }
        if (previous.get(0) != '\n') pos = -1; // mid-line: skip to the next line start
      }
      InputStream in = Channels.newInputStream(opened);
      byte[] buf = new byte[1 << 16];
      int from = 0, n = 0;
      long bufStart = Math.max(pos, start); // file offset of buf[0]
      boolean skipping = pos < 0, eof = false;
      while (true) {
        int nl = -1;
        for (int k = from; k < n; k++) {
          if (buf[k] == '\n') {
            nl = k;
            break;
          }
        }
        if (nl < 0) {
          if (eof) {
            if (!skipping && from < n && bufStart + from < end) emit(file, buf, from, n, bufStart + from, out);
            return;
          }
          if (from > 0) {
            System.arraycopy(buf, from, buf, 0, n - from);
            bufStart += from;
            n -= from;
            from = 0;
          }
          if (n == buf.length) buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
          int r = in.read(buf, n, buf.length - n);
          if (r < 0) eof = true;
          else n += r;
          continue;
        }
        long lineStart = bufStart + from;
        if (!skipping) {
          if (lineStart >= end) return;
          emit(file, buf, from, nl, lineStart, out);
        }
        skipping = false;
        from = nl + 1;
      }
    }
  }

  private void emit(String file, byte[] buf, int from, int to, long offset, Consumer<SourceRecord> out) {
    Utf8Text.Decoded decoded = Utf8Text.decode(buf, from, to - from);
    String text = decoded.text().strip();
    if (text.isEmpty()) return;
    SourceRecord record = SourceRecord.ok(syncLabel, text, file + " at byte " + offset);
    out.accept(decoded.replaced() ? record.withReplacedUtf8() : record);
  }

  private void readCsv(String file, Consumer<SourceRecord> out) throws IOException {
    try (Utf8Text.ReplacingReader r = new Utf8Text.ReplacingReader(ExtractLayout.open(file))) {
      BulkCsv.read(r, mapper, new BulkCsv.Rows() {
        @Override public void record(ObjectNode record, int rowNumber) {
          String json = record.toString();
          SourceRecord source = SourceRecord.ok(syncLabel, json, file + " row " + rowNumber);
          out.accept(r.replacedAny() && json.indexOf('\uFFFD') >= 0 ? source.withReplacedUtf8() : source);
        }

        @Override public void unreadable(String text, int rowNumber, String problem) {
          out.accept(SourceRecord.unreadable(syncLabel, text, file + " row " + rowNumber, file + " " + problem));
        }
      });
    } catch (IOException e) {
      byte[] whole;
      try (InputStream again = ExtractLayout.open(file)) {
        whole = again.readAllBytes();
      } catch (IOException unreadable) {
        throw e;
      }
      // not CSV at all (an unterminated quote): whatever rows it held are unknown
      out.accept(SourceRecord.unreadable(syncLabel, new String(whole, StandardCharsets.UTF_8), file,
          file + ": not a readable CSV: " + e.getMessage().lines().findFirst().orElse("")));
    }
  }
}
