package dev.syncbeam.transforms.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;

/**
 * {@code <root>/<object>/*.{json,ndjson,csv}}. A missing folder or one with no files is an error,
 * never an empty read: an empty full refresh would mark every row of the sync deleted.
 */
public final class ExtractLayout {
  /** Target size of one split; bounds what a worker holds in memory for one bundle. */
  public static final long SPLIT_BYTES = 16L << 20;
  /**
   * Largest byte range of an NDJSON file read in one go. A reader yields between pieces, so this
   * bounds what one read holds in memory and is about the size of one batch to Postgres.
   */
  public static final long PIECE_BYTES = 4L << 20;

  private ExtractLayout() {}

  /**
   * An object name is one folder below the extract root, never a path out of it: no path separators,
   * no control characters, and not starting with {@code .} (so never {@code ..}) or {@code _} (the
   * lookup folders).
   */
  public static String checkObjectName(String object) {
    boolean plain = object != null && !object.isEmpty() && !object.startsWith(".") && !object.startsWith("_")
        && object.chars().noneMatch(ch -> ch == '/' || ch == '\\' || Character.isISOControl(ch));
    if (!plain) {
      throw new IllegalArgumentException("object name '" + object + "' is not a folder name: no '/', '\\' or control"
          + " characters, and not starting with '.' or '_'");
    }
    return object;
  }

  public static Path objectFolder(String root, String object) {
    return Path.of(root).resolve(checkObjectName(object));
  }

  /** The object's extract files in name order; throws {@link IllegalArgumentException} naming the folder when there are none. */
  public static List<Path> files(String root, String object) {
    Path dir = objectFolder(root, object);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("extract folder " + dir + " for object '" + object + "' does not exist"
          + " (an object with no records needs a folder holding an empty response page)");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> ExtractFormat.of(p) != null && !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list extract folder " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("extract folder " + dir + " holds no .json, .ndjson or .csv files");
    }
    for (Path f : files) requireContent(f);
    return files;
  }

  /** Files this small are read whole to tell an empty one; larger ones cannot be only white space in practice. */
  private static final long SMALL_FILE_BYTES = 4096;

  /**
   * An empty file is what an export that crashed leaves behind, so it is an error for its sync, not
   * "no records": in a full refresh it would mark every row deleted. An object that truly has no
   * records is written as an empty response page ({@code {"results": []}}, {@code {"records": [], "done": true}}).
   */
  private static void requireContent(Path file) {
    try {
      long size = Files.size(file);
      if (size == 0 || (size <= SMALL_FILE_BYTES && Files.readString(file, StandardCharsets.ISO_8859_1).isBlank())) {
        throw new IllegalArgumentException("extract file " + file + " is empty (" + size + " bytes): an interrupted export?"
            + " An object with no records needs an empty response page instead");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read extract file " + file + ": " + e.getMessage(), e);
    }
  }

  /** One NDJSON file as pieces of at most {@link #PIECE_BYTES}, to be read in order by one reader. */
  public static List<ExtractSplit.Piece> ndjsonPieces(Path file) throws IOException {
    return pieces(file, ExtractFormat.NDJSON, Files.size(file), PIECE_BYTES);
  }

  /** A file as byte ranges of at most {@code pieceBytes}; only NDJSON can be cut, anything else is one piece. */
  private static List<ExtractSplit.Piece> pieces(Path file, ExtractFormat format, long size, long pieceBytes) {
    if (format != ExtractFormat.NDJSON || size <= pieceBytes) return List.of(new ExtractSplit.Piece(file.toString(), format, 0, size));
    List<ExtractSplit.Piece> pieces = new ArrayList<>();
    for (long start = 0; start < size; start += pieceBytes) {
      pieces.add(new ExtractSplit.Piece(file.toString(), format, start, Math.min(size, start + pieceBytes)));
    }
    return pieces;
  }

  /** Cuts the files into splits of about {@link #SPLIT_BYTES}. */
  public static List<ExtractSplit> splits(String syncLabel, List<Path> files, long splitBytes) throws IOException {
    List<ExtractSplit> out = new ArrayList<>();
    List<ExtractSplit.Piece> current = new ArrayList<>();
    long currentBytes = 0;
    for (Path f : files) {
      for (ExtractSplit.Piece p : pieces(f, ExtractFormat.of(f), Files.size(f), Math.min(PIECE_BYTES, splitBytes))) {
        if (!current.isEmpty() && currentBytes + p.length() > splitBytes) {
          out.add(new ExtractSplit(syncLabel, current));
          current = new ArrayList<>();
          currentBytes = 0;
        }
        current.add(p);
        currentBytes += p.length();
      }
    }
    if (!current.isEmpty()) out.add(new ExtractSplit(syncLabel, current));
    return out;
  }
}
