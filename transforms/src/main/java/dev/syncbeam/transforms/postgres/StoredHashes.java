package dev.syncbeam.transforms.postgres;

import dev.syncbeam.schemas.CopyText;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.TableStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content hash of every stored row of one sync in one table, read once per re-sync and JVM, so
 * the sink tells an unchanged record in memory instead of staging its key and probing the table's
 * primary key for it (most of a re-sync's database time, and random reads on a table larger than
 * the buffer cache). Rows without a hash or deleted by a sweep are left out: those are always
 * written. Ids are held as 64-bit fingerprints; two ids sharing one can only make a record look
 * changed (its content hash will not equal the other's), never unchanged.
 *
 * <p>The hashes are a snapshot taken before the run's first batch in this JVM. That is enough: the
 * run holds its sync's lock, and a row written meanwhile through serve is newer than the provider
 * record that matches the snapshot, which the guarded merge would not let replace it either.
 */
final class StoredHashes {
  /** A sync with more stored rows than this is compared by probing instead (64 MB of arrays at most). */
  static final int MAX_ROWS = 2_000_000;
  /** Slots (16 bytes each) held by every snapshot in this JVM together; the least recently used go first. */
  static final long BUDGET_SLOTS = 8L << 20;

  private static final Map<String, StoredHashes> CACHE = new LinkedHashMap<>(16, 0.75f, true);
  private static long cachedSlots;

  private long[] fingerprints = new long[1024]; // 0 marks a free slot; a fingerprint of 0 is stored as 1
  private long[] hashes = new long[1024];
  private int mask = 1023;
  private int rows;

  StoredHashes() {}

  /**
   * The snapshot of one run's sync in one table, read through {@code session} the first time this
   * JVM asks; null when the sync has more than {@link #MAX_ROWS} rows.
   *
   * @param run names the run: destination, table, run key and run stamp, so a schema dropped and
   *     made again, whose run ids start over, never meets an old snapshot
   * @param scope the sync's scope values, in {@link TableDefinition#scopeColumns()} order
   */
  static synchronized StoredHashes of(String run, TableStatements sql, List<String> scope, DestinationSession session)
      throws SQLException {
    if (CACHE.containsKey(run)) return CACHE.get(run);
    StoredHashes loaded = session.inTransaction("reading the stored content hashes of " + String.join("/", scope) + " in "
        + sql.qualifiedTable(), c -> read(c, sql, scope));
    CACHE.put(run, loaded);
    cachedSlots += slots(loaded);
    for (Iterator<StoredHashes> it = CACHE.values().iterator(); cachedSlots > BUDGET_SLOTS && it.hasNext(); ) {
      StoredHashes oldest = it.next();
      if (oldest == loaded) continue;
      cachedSlots -= slots(oldest);
      it.remove();
    }
    return loaded;
  }

  private static long slots(StoredHashes h) {
    return h == null ? 0 : h.fingerprints.length;
  }

  /** Null once the sync proves to have more than {@link #MAX_ROWS} rows. */
  private static StoredHashes read(Connection c, TableStatements sql, List<String> scope) throws SQLException {
    StoredHashes h = new StoredHashes();
    try (PreparedStatement ps = c.prepareStatement(sql.storedHashes())) {
      bind(ps, scope);
      ps.setFetchSize(50_000); // a cursor: the rows stream in, they are never all in the driver at once
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (h.rows == MAX_ROWS) return null;
          h.add(fingerprint(rs.getString(1)), rs.getLong(2));
        }
      }
    }
    return h;
  }

  private static void bind(PreparedStatement ps, List<String> scope) throws SQLException {
    for (int i = 0; i < scope.size(); i++) ps.setString(i + 1, scope.get(i));
  }

  /** Whether the stored row of {@code id} holds exactly {@code contentHash}. */
  boolean unchanged(String id, long contentHash) {
    long f = fingerprint(id);
    for (int i = slot(f); ; i = (i + 1) & mask) {
      if (fingerprints[i] == 0) return false;
      if (fingerprints[i] == f) return hashes[i] == contentHash;
    }
  }

  void add(long f, long hash) {
    if (++rows > fingerprints.length / 2) grow();
    put(f, hash);
  }

  private void grow() {
    long[] oldFingerprints = fingerprints, oldHashes = hashes;
    fingerprints = new long[oldFingerprints.length * 2];
    hashes = new long[oldFingerprints.length * 2];
    mask = fingerprints.length - 1;
    for (int i = 0; i < oldFingerprints.length; i++) if (oldFingerprints[i] != 0) put(oldFingerprints[i], oldHashes[i]);
  }

  private void put(long f, long hash) {
    for (int i = slot(f); ; i = (i + 1) & mask) {
      if (fingerprints[i] == 0 || fingerprints[i] == f) {
        fingerprints[i] = f;
        hashes[i] = hash;
        return;
      }
    }
  }

  private int slot(long f) {
    return (int) (f ^ (f >>> 32)) & mask;
  }

  /** A 64-bit fingerprint of an id: FNV-1a over its characters, then MurmurHash3's finalizer. */
  static long fingerprint(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) h = (h ^ id.charAt(i)) * 0x100000001b3L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** The scope values of a row, read from the leading fields of its COPY line. */
  static List<String> scopeOf(TableDefinition table, String copyLine) {
    return table.scopeColumns().stream().map(c -> CopyText.field(copyLine, table.indexOf(c))).toList();
  }
}
