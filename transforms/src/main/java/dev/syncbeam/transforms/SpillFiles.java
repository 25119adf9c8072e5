package dev.syncbeam.transforms;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where API pages wait on local disk between the request and the reader: {@code
 * <java.io.tmpdir>/syncbeam-spill/api-<pid>-*.ndjson}. They hold CRM records, so they are deleted
 * once read, and a process that died before that (kill -9) has its files removed by the next run
 * on the same machine: the pid in the name says whose they are.
 */
final class SpillFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SpillFiles.class);
  private static final String PREFIX = "api-";
  private static final AtomicBoolean SWEPT = new AtomicBoolean();

  private SpillFiles() {}

  static Path directory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "syncbeam-spill");
  }

  static Path create() throws IOException {
    Path dir = Files.createDirectories(directory());
    return Files.createTempFile(dir, PREFIX + ProcessHandle.current().pid() + "-", ".ndjson");
  }

  /** Once per JVM: deletes spill files of processes that are no longer alive. */
  static void removeOrphans() {
    if (SWEPT.compareAndSet(false, true)) removeOrphansNow();
  }

  static void removeOrphansNow() {
    if (!Files.isDirectory(directory())) return;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(), PREFIX + "*.ndjson")) {
      for (Path f : files) {
        long pid = owner(f);
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        Files.deleteIfExists(f);
        LOG.info("removed {} left behind by process {}, which stopped before reading it", f, pid);
      }
    } catch (IOException e) {
      LOG.warn("could not clean up {}: {}", directory(), e.getMessage());
    }
  }

  /** The pid in a spill file's name, or -1 for a name SyncBeam did not write. */
  static long owner(Path file) {
    String name = file.getFileName().toString();
    int dash = name.indexOf('-', PREFIX.length());
    if (!name.startsWith(PREFIX) || dash < 0) return -1;
    try {
      return Long.parseLong(name.substring(PREFIX.length(), dash));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
