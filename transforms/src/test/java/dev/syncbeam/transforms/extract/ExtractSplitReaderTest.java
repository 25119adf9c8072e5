package dev.syncbeam.transforms.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.providers.hubspot.HubSpotRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NDJSON byte ranges: however a file is cut into pieces, every line is read exactly once, in order. */
class ExtractSplitReaderTest {
  @TempDir Path dir;

  private List<String> readInPieces(Path f, long piece) throws Exception {
    ExtractSplitReader reader = new ExtractSplitReader(new ObjectMapper(), new HubSpotRecords(), "s");
    long size = Files.size(f);
    List<String> read = new ArrayList<>();
    for (long start = 0; start < size; start += piece) {
      reader.read(new ExtractSplit.Piece(f.toString(), ExtractFormat.NDJSON, start, Math.min(size, start + piece)),
          (SourceRecord r) -> read.add(r.payload()));
    }
    return read;
  }

  private Path write(String name, List<String> lines) throws Exception {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      file.append(lines.get(i)).append(i % 10 == 3 ? "\r\n" : "\n");
      if (i % 17 == 0) file.append("\n"); // blank lines are skipped
    }
    return Files.writeString(dir.resolve(name), file.substring(0, file.length() - 1), StandardCharsets.UTF_8); // no final newline
  }

  @Test
  void everyLineIsReadOnceWhateverThePieceSize() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) lines.add("{\"id\":\"" + i + "\",\"v\":\"" + "x".repeat(i % 37) + (i == 50 ? "é€" : "") + "\"}");
    Path f = write("short.ndjson", lines);
    for (long piece : new long[] {1, 2, 3, 7, 64, 1000, Files.size(f)}) {
      assertEquals(lines, readInPieces(f, piece), "pieces of " + piece + " bytes");
    }
  }

  @Test
  void aLineLongerThanTheReadBufferIsReadWhole() throws Exception {
    List<String> lines = List.of("{\"id\":\"a\"}", "{\"id\":\"long\",\"v\":\"" + "y".repeat(200_000) + "\"}", "{\"id\":\"b\"}");
    Path f = write("long.ndjson", lines);
    for (long piece : new long[] {65_536, 150_000, Files.size(f)}) {
      assertEquals(lines, readInPieces(f, piece), "pieces of " + piece + " bytes");
    }
  }

  @Test
  void aBulkCsvRowWithTheWrongFieldCountIsUnreadableAndInvalidUtf8IsMarked() throws Exception {
    byte[] head = "\"Id\",\"Name\"\n\"a1\",\"caf".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"\n\"a2\"\n\"a3\",\"Multi\nline \"\"quoted\"\"\"\n".getBytes(StandardCharsets.UTF_8);
    byte[] csv = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, csv, 0, head.length);
    csv[head.length] = (byte) 0xc3; // a two-byte sequence cut short
    csv[head.length + 1] = (byte) 0x28;
    System.arraycopy(tail, 0, csv, head.length + 2, tail.length);
    Path f = Files.write(dir.resolve("result.csv"), csv);
    List<SourceRecord> read = new ArrayList<>();
    new ExtractSplitReader(new ObjectMapper(), new HubSpotRecords(), "s").read(
        new ExtractSplit.Piece(f.toString(), ExtractFormat.CSV, 0, Files.size(f)), read::add);

    assertEquals(3, read.size());
    assertEquals("{\"Id\":\"a1\",\"Name\":\"caf\uFFFD(\"}", read.get(0).payload());
    assertEquals(true, read.get(0).replacedUtf8());
    assertEquals(f + " row 3 has 1 fields, the header has 2", read.get(1).readError());
    assertEquals("{\"Id\":\"a3\",\"Name\":\"Multi\\nline \\\"quoted\\\"\"}", read.get(2).payload());
    assertEquals(false, read.get(2).replacedUtf8());
  }
}
