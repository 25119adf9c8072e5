package dev.syncbeam.transforms.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * {@code <root>/<object>/*.{json,ndjson,csv}}, where root is a local folder or any location Beam's
 * {@link FileSystems} can list ({@code s3://}, {@code gs://}, ...), so a worker without the client's
 * disk lists and reads the same files. A missing folder or one with no files is an error, never an
 * empty read: an empty full refresh would mark every row of the sync deleted.
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

  /** An extract file as listed: where it is (a local path or a file-system URI) and its size. */
  public record ExtractFile(String location, String name, long size) {}

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

  /** {@code root/object}, joined as text: a URI root must keep its scheme. */
  public static String objectFolder(String root, String object) {
    String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return base + "/" + checkObjectName(object);
  }

  /** {@code root/_name}: where the labels a mapping looks up (pipelines, stages, fields) sit beside the object folders. */
  public static String lookupFolder(String root, String name) {
    String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return base + "/_" + name;
  }

  /** The object's extract files in name order; throws {@link IllegalArgumentException} naming the folder when there are none. */
  public static List<ExtractFile> files(String root, String object) {
    String dir = objectFolder(root, object);
    List<MatchResult.Metadata> listed;
    try {
      // an object store has no folders: a prefix with no objects is a missing folder
      MatchResult match = FileSystems.match(dir + "/*", EmptyMatchTreatment.ALLOW);
      listed = match.status() == MatchResult.Status.NOT_FOUND ? List.of() : match.metadata();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot list extract folder " + dir + ": " + e.getMessage(), e);
    }
    if (listed.isEmpty()) {
      throw new IllegalArgumentException("extract folder " + dir + " for object '" + object + "' does not exist"
          + " (an object with no records needs a folder holding an empty response page)");
    }
    List<ExtractFile> files = new ArrayList<>();
    for (MatchResult.Metadata m : listed) {
      String name = m.resourceId().getFilename();
      if (name == null || m.resourceId().isDirectory() || name.startsWith(".") || ExtractFormat.of(name) == null) continue;
      files.add(new ExtractFile(m.resourceId().toString(), name, m.sizeBytes()));
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("extract folder " + dir + " holds no .json, .ndjson or .csv files");
    }
    files.sort(Comparator.comparing(ExtractFile::name));
    requireNoUnreadableLocalEntries(dir);
    for (ExtractFile f : files) requireContent(f);
    return files;
  }

  /**
   * Beam's local file system lists only regular files, so a local folder holding something named like
   * an extract file that is not one (a directory {@code b.json}) would be read as if it were absent,
   * and a full refresh would mark its rows deleted. Object stores have no such entries.
   */
  private static void requireNoUnreadableLocalEntries(String dir) {
    if (!FileSystems.matchNewResource(dir, true).getScheme().equals("file")) return;
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && ExtractFormat.of(name) != null && !Files.isRegularFile(p)) {
          throw new IllegalArgumentException("cannot read extract file " + p + ": not a regular file");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list extract folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens an extract file (local or through its file system) for reading from the start. */
  public static InputStream open(String location) throws IOException {
    return Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(location, false)));
  }

  /** Files this small are read whole to tell an empty one; larger ones cannot be only white space in practice. */
  private static final long SMALL_FILE_BYTES = 4096;

  /**
   * An empty file is what an export that crashed leaves behind, so it is an error for its sync, not
   * "no records": in a full refresh it would mark every row deleted. An object that truly has no
   * records is written as an empty response page ({@code {"results": []}}, {@code {"records": [], "done": true}}).
   */
  private static void requireContent(ExtractFile file) {
    long size = file.size();
    boolean empty = size == 0;
    if (!empty && size <= SMALL_FILE_BYTES) {
      try (InputStream in = open(file.location())) {
        empty = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).isBlank();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read extract file " + file.location() + ": " + e.getMessage(), e);
      }
    }
    if (empty) {
      throw new IllegalArgumentException("extract file " + file.location() + " is empty (" + size + " bytes): an interrupted export?"
          + " An object with no records needs an empty response page instead");
    }
  }

  /** One NDJSON file SyncBeam wrote locally as pieces of at most {@link #PIECE_BYTES}, to be read in order by one reader. */
  public static List<ExtractSplit.Piece> ndjsonPieces(Path file) throws IOException {
    return pieces(file.toString(), ExtractFormat.NDJSON, Files.size(file), PIECE_BYTES);
  }

  /** A file as byte ranges of at most {@code pieceBytes}; only NDJSON can be cut, anything else is one piece. */
  private static List<ExtractSplit.Piece> pieces(String file, ExtractFormat format, long size, long pieceBytes) {
    if (format != ExtractFormat.NDJSON || size <= pieceBytes) return List.of(new ExtractSplit.Piece(file, format, 0, size));
    List<ExtractSplit.Piece> pieces = new ArrayList<>();
    for (long start = 0; start < size; start += pieceBytes) {
      pieces.add(new ExtractSplit.Piece(file, format, start, Math.min(size, start + pieceBytes)));
    }
    return pieces;
  }

  /** Cuts the files into splits of about {@link #SPLIT_BYTES}. */
  public static List<ExtractSplit> splits(String syncLabel, List<ExtractFile> files, long splitBytes) {
    List<ExtractSplit> out = new ArrayList<>();
    List<ExtractSplit.Piece> current = new ArrayList<>();
    long currentBytes = 0;
    for (ExtractFile f : files) {
      for (ExtractSplit.Piece p : pieces(f.location(), ExtractFormat.of(f.name()), f.size(), Math.min(PIECE_BYTES, splitBytes))) {
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
