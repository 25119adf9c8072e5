package dev.syncbeam.sandbox;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * HubSpot-contact-shaped records of about 1.5 KB of JSON each, as NDJSON files, for the benchmark.
 * Deterministic for a given (index, version): the same record renders the same bytes.
 */
public final class BenchmarkExtracts {
  public static final int RECORDS_PER_FILE = 50_000;
  private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");

  private BenchmarkExtracts() {}

  /** One record; {@code version} > 0 is a later change with a later updatedAt. */
  public static String contact(int i, int version) {
    Instant updated = BASE.plusSeconds(i).plusSeconds(86_400L * 30 * version);
    String id = Integer.toString(100_000 + i);
    StringBuilder sb = new StringBuilder(1600);
    sb.append("{\"id\":\"").append(id).append("\",\"properties\":{");
    sb.append("\"firstname\":\"First").append(i).append("\",\"lastname\":\"Last").append(i % 9973).append('"');
    sb.append(",\"email\":\"person").append(i).append("@example").append(i % 97).append(".com\"");
    sb.append(",\"phone\":\"+1 555 ").append(String.format(Locale.ROOT, "%07d", i % 10_000_000)).append('"');
    sb.append(",\"mobilephone\":\"+1 555 ").append(String.format(Locale.ROOT, "%07d", (i * 7) % 10_000_000)).append('"');
    sb.append(",\"company\":\"Company ").append(i % 5000).append("\",\"jobtitle\":\"Title ").append(i % 300).append('"');
    sb.append(",\"address\":\"").append(i % 9999).append(" Main Street\",\"city\":\"City ").append(i % 700).append('"');
    sb.append(",\"state\":\"ST\",\"zip\":\"").append(String.format(Locale.ROOT, "%05d", i % 100_000)).append("\",\"country\":\"USA\"");
    sb.append(",\"lifecyclestage\":\"").append(i % 3 == 0 ? "customer" : "lead").append('"');
    sb.append(",\"hs_lead_status\":\"OPEN\",\"hubspot_owner_id\":\"").append(1000 + i % 50).append('"');
    sb.append(",\"notes_last_updated\":\"").append(updated.minusSeconds(3600)).append('"');
    sb.append(",\"createdate\":\"").append(BASE.minusSeconds(86_400).plusSeconds(i)).append('"');
    sb.append(",\"lastmodifieddate\":\"").append(updated).append('"');
    sb.append(",\"version\":\"").append(version).append('"');
    for (int k = 0; sb.length() < 1380; k++) {
      sb.append(",\"custom_field_").append(k).append("\":\"value ").append((i * 31 + k) % 100_003).append(" of a custom property\"");
    }
    sb.append("},\"createdAt\":\"").append(BASE.minusSeconds(86_400).plusSeconds(i)).append("\",\"updatedAt\":\"").append(updated)
        .append("\",\"archived\":false}");
    return sb.toString();
  }

  /** Marks a record left out of an extract, for {@link #write}. */
  public static final int ABSENT = -1;

  /** Record {@code i} as HubSpot lists it when asked for its id property alone: what a delete check reads. */
  public static String contactId(int i) {
    String id = Integer.toString(100_000 + i);
    return "{\"id\":\"" + id + "\",\"properties\":{\"hs_object_id\":\"" + id + "\"},\"archived\":false}";
  }

  /** Writes records [0, n) at the version {@code versionOf} gives each ({@link #ABSENT}: left out) as NDJSON under {@code dir}. */
  public static long write(Path dir, int n, IntUnaryOperator versionOf) throws IOException {
    return write(dir, n, versionOf, BenchmarkExtracts::contact);
  }

  /** Writes the ids alone ({@link #contactId}) of the records {@code versionOf} does not leave out. */
  public static long writeIds(Path dir, int n, IntUnaryOperator versionOf) throws IOException {
    return write(dir, n, versionOf, (i, version) -> contactId(i));
  }

  private interface Render {
    String record(int i, int version);
  }

  private static long write(Path dir, int n, IntUnaryOperator versionOf, Render render) throws IOException {
    Files.createDirectories(dir);
    long written = 0;
    BufferedWriter out = null;
    int inFile = 0, file = 0;
    try {
      for (int i = 0; i < n; i++) {
        int version = versionOf.applyAsInt(i);
        if (version == ABSENT) continue;
        if (out == null || inFile == RECORDS_PER_FILE) {
          if (out != null) out.close();
          out = Files.newBufferedWriter(dir.resolve(String.format(Locale.ROOT, "part-%05d.ndjson", file++)), StandardCharsets.UTF_8);
          inFile = 0;
        }
        out.write(render.record(i, version));
        out.write('\n');
        inFile++;
        written++;
      }
    } finally {
      if (out != null) out.close();
    }
    return written;
  }
}
