package dev.syncbeam.transforms.extract;

import java.nio.file.Path;
import java.util.Locale;

/** The three file shapes an extract folder may hold, told apart by extension. */
public enum ExtractFormat {
  /** One API response page in the provider's own envelope. */
  JSON_PAGE,
  /** One bare record per line. */
  NDJSON,
  /** A Salesforce Bulk query result: header row, every value a string. */
  CSV;

  /** The format of a file, or null when its extension is not one SyncBeam reads. */
  public static ExtractFormat of(Path file) {
    return of(file.getFileName().toString());
  }

  /** The format of a file named {@code fileName} (no folder), or null. */
  public static ExtractFormat of(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) return JSON_PAGE;
    if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return NDJSON;
    if (name.endsWith(".csv")) return CSV;
    return null;
  }
}
