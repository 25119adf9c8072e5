package dev.syncbeam.transforms.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.providers.ProviderRecords;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the pieces of one split into {@link SourceRecord}s. A page or line that does not parse
 * becomes an unreadable record (a dead letter later); a file that cannot be opened or read throws,
 * which fails the sync's run.
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
    Path file = Path.of(piece.file());
    switch (piece.format()) {
      case JSON_PAGE -> readPage(file, out);
      case NDJSON -> readLines(file, piece.start(), piece.end(), out);
      case CSV -> readCsv(file, out);
    }
  }

  private void readPage(Path file, Consumer<SourceRecord> out) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<JsonNode> records;
    try {
      records = provider.recordsOfPage(mapper.readTree(text));
    } catch (JsonProcessingException e) {
      out.accept(SourceRecord.unreadable(syncLabel, text, file.toString(),
          "invalid JSON in " + file + ": " + e.getOriginalMessage()));
      return;
    } catch (IllegalArgumentException e) {
      out.accept(SourceRecord.unreadable(syncLabel, text, file.toString(), file + ": " + e.getMessage()));
      return;
    }
    int i = 0;
    for (JsonNode r : records) {
      out.accept(SourceRecord.ok(syncLabel, mapper.writeValueAsString(r), file + " record " + (i++)));
    }
  }

  private void readLines(Path file, long start, long end, Consumer<SourceRecord> out) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = start;
      if (start > 0) {
        ch.position(start - 1);
        InputStream probe = Channels.newInputStream(ch);
        int prev = probe.read();
        pos = start;
        if (prev != '\n') {
          // mid-line: that line belongs to the previous piece
          InputStream skip = new BufferedInputStream(Channels.newInputStream(ch.position(start)), 1 << 16);
          int c;
          while ((c = skip.read()) != -1) {
            pos++;
            if (c == '\n') break;
          }
        }
      }
      ch.position(pos);
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
      ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
      while (pos < end) {
        long lineStart = pos;
        line.reset();
        int c;
        while ((c = in.read()) != -1) {
          pos++;
          if (c == '\n') break;
          line.write(c);
        }
        String text = line.toString(StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) out.accept(SourceRecord.ok(syncLabel, text, file + " at byte " + lineStart));
        if (c == -1) break;
      }
    }
  }

  private void readCsv(Path file, Consumer<SourceRecord> out) throws IOException {
    try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      BulkCsv csv = new BulkCsv(r);
      List<String> header;
      try {
        header = csv.next();
      } catch (IOException e) {
        out.accept(SourceRecord.unreadable(syncLabel, Files.readString(file), file.toString(), file + ": " + e.getMessage()));
        return;
      }
      if (header == null) return; // an empty result: no rows
      int rowNumber = 1;
      while (true) {
        List<String> row;
        try {
          row = csv.next();
        } catch (IOException e) {
          out.accept(SourceRecord.unreadable(syncLabel, null, file + " row " + rowNumber,
              file + " row " + rowNumber + ": " + e.getMessage()));
          return;
        }
        if (row == null) return;
        rowNumber++;
        if (row.size() == 1 && row.get(0).isEmpty()) continue;
        if (row.size() != header.size()) {
          out.accept(SourceRecord.unreadable(syncLabel, String.join(",", row), file + " row " + rowNumber,
              file + " row " + rowNumber + " has " + row.size() + " fields, the header has " + header.size()));
          continue;
        }
        ObjectNode rec = mapper.createObjectNode();
        for (int i = 0; i < header.size(); i++) rec.put(header.get(i), row.get(i));
        out.accept(SourceRecord.ok(syncLabel, mapper.writeValueAsString(rec), file + " row " + rowNumber));
      }
    }
  }
}
