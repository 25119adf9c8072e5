package dev.syncbeam.transforms.extract;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;

/**
 * A Salesforce Bulk query result (RFC 4180: a header row, quoted fields, doubled quotes, newlines
 * inside quotes, every value a string) as one JSON object of strings per row, the shape an extract
 * CSV and a Bulk API results chunk both read as. A row with another number of fields than the header
 * is unreadable, wherever it comes from: it is handed on as such, never guessed into a record.
 */
public final class BulkCsv {
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

  private BulkCsv() {}

  /** Receives each row of a result. */
  public interface Rows {
    void record(ObjectNode record, int rowNumber);

    /** A row whose fields do not match the header; {@code text} is the row's fields joined by commas. */
    void unreadable(String text, int rowNumber, String problem);
  }

  /**
   * Reads every row after the header. Returns false when there was no header at all (an empty
   * result); throws {@link IOException} when the text is not CSV (an unterminated quoted field).
   */
  public static boolean read(Reader in, ObjectMapper json, Rows rows) throws IOException {
    try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(in)) {
      if (!it.hasNextValue()) return false;
      String[] header = it.nextValue();
      int rowNumber = 1;
      while (it.hasNextValue()) {
        String[] row = it.nextValue();
        rowNumber++;
        if (row.length == 1 && row[0].isEmpty()) continue; // a blank line
        if (row.length != header.length) {
          rows.unreadable(String.join(",", row), rowNumber, "row " + rowNumber + " has " + row.length + " fields, the header has "
              + header.length);
          continue;
        }
        ObjectNode record = json.createObjectNode();
        for (int i = 0; i < header.length; i++) record.put(header[i], row[i]);
        rows.record(record, rowNumber);
      }
      return true;
    } catch (RuntimeException e) {
      // Jackson reports a malformed document from hasNextValue as an unchecked wrapper of its parse error
      if (e.getCause() instanceof IOException io) throw io;
      throw e;
    }
  }
}
