package dev.syncbeam.transforms.extract;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV as Salesforce Bulk writes it: quoted fields, doubled quotes, newlines inside quotes. */
public final class BulkCsv {
  private final Reader in;
  private int peeked = -2;

  public BulkCsv(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    return in.read();
  }

  private int peek() throws IOException {
    if (peeked == -2) peeked = in.read();
    return peeked;
  }

  /** The next row, or null at end of input. Throws on an unterminated quoted field. */
  public List<String> next() throws IOException {
    if (peek() == -1) return null;
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    while (true) {
      int c = read();
      if (quoted) {
        if (c == -1) throw new IOException("unterminated quoted field");
        if (c == '"') {
          if (peek() == '"') {
            read();
            field.append('"');
          } else {
            quoted = false;
          }
        } else {
          field.append((char) c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && peek() == '\n') {
        // CRLF: the \n ends the row
      } else if (c == '\n' || c == -1) {
        row.add(field.toString());
        return row;
      } else {
        field.append((char) c);
      }
    }
  }
}
