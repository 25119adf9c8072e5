package dev.syncbeam.pipelines.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as an aligned plain-text table, as psql does. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = header;
  }

  static TextTable of(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> h = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) h.add(md.getColumnLabel(i));
    TextTable t = new TextTable(h);
    while (rs.next()) {
      List<String> r = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String v = rs.getString(i);
        r.add(v == null ? "" : v);
      }
      t.add(r);
    }
    return t;
  }

  void add(List<String> row) {
    rows.add(row);
  }

  int size() {
    return rows.size();
  }

  void print(PrintStream out, int maxCell) {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
    for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], cut(r.get(i), maxCell).length());
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : " | ").append(pad(header.get(i), w[i]));
    out.println(line.toString().stripTrailing());
    line.setLength(0);
    for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
    out.println(line);
    for (List<String> r : rows) {
      line.setLength(0);
      for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : " | ").append(pad(cut(r.get(i), maxCell), w[i]));
      out.println(line.toString().stripTrailing());
    }
    out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
  }

  private static String cut(String s, int max) {
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
