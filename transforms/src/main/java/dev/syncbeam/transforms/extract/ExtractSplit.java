package dev.syncbeam.transforms.extract;

import java.io.Serializable;
import java.util.List;

/**
 * A unit of reading work: one or more file pieces of one sync. Small files are packed together so
 * a batch to Postgres is not one tiny page; a large NDJSON file is cut into byte ranges so workers
 * share it and no worker holds it whole.
 */
public record ExtractSplit(
    String syncLabel,
    List<Piece> pieces,
    /** A file SyncBeam wrote itself (API pages spilled to local disk): deleted once its last piece is read. */
    boolean deleteWhenRead)
    implements Serializable {

  public ExtractSplit(String syncLabel, List<Piece> pieces) {
    this(syncLabel, pieces, false);
  }

  /** Bytes [start, end) of a file; a line belongs to the piece its first byte falls in. */
  public record Piece(String file, ExtractFormat format, long start, long end) implements Serializable {
    public long length() {
      return end - start;
    }
  }
}
