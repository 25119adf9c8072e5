package dev.syncbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** API pages spilled by a process that was killed before reading them do not stay on disk. */
class SpillFilesTest {
  @Test
  void spillFilesOfADeadProcessAreRemovedAndALiveProcessKeepsItsOwn() throws Exception {
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
    Path dir = Files.createDirectories(SpillFiles.directory());
    Path orphan = Files.writeString(dir.resolve("api-" + gone.pid() + "-1234.ndjson"), "{\"id\":\"crm record\"}\n");
    Path mine = SpillFiles.create();
    try {
      SpillFiles.removeOrphansNow();
      assertFalse(Files.exists(orphan), "the dead process's file is gone");
      assertTrue(Files.exists(mine), "a running process's file is left alone");
    } finally {
      Files.deleteIfExists(orphan);
      Files.deleteIfExists(mine);
    }
  }
}
