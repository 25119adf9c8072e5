package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real provider responses in ../shared/fixtures (path in system property syncbeam.fixtures).
 * A user's clone has none: tests that need them are skipped, saying why.
 */
final class Fixtures {
  private Fixtures() {}

  static Path dir() {
    String p = System.getProperty("syncbeam.fixtures", "../shared/fixtures");
    Path dir = Path.of(p);
    assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir.toAbsolutePath()
        + " (they live beside the repository in CI, not in a clone); skipping fixture test");
    return dir;
  }

  /** Copies fixture files into {@code <root>/<object>/} at test time (never into the repository). */
  static void copy(Path root, String object, String... fixtures) throws IOException {
    Path fx = dir();
    Path target = root.resolve(object);
    Files.createDirectories(target);
    for (String f : fixtures) Files.copy(fx.resolve(f), target.resolve(Path.of(f).getFileName()));
  }
}
