package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged {@code syncbeam-bundled.jar}, run as a user runs it: {@code java -jar} in a process of its own. */
final class BundledJar {
  private BundledJar() {}

  /** The jar {@code ./mvnw package} built (failsafe passes its path). */
  static Path path() {
    String p = System.getProperty("syncbeam.bundle");
    assertNotNull(p, "system property syncbeam.bundle (the bundled jar) is not set; run this test through ./mvnw verify");
    Path jar = Path.of(p);
    assertTrue(Files.isRegularFile(jar), "no bundled jar at " + jar + "; ./mvnw package builds it");
    return jar;
  }

  /** What a command printed (stdout and stderr together) and how it exited. */
  record Outcome(int exitCode, String output) {}

  /** Runs {@code java -jar JAR args} in {@code dir}; fails the test if it takes longer than {@code timeout}. */
  static Outcome run(Path jar, Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "syncbeam-", ".log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    System.out.println("$ syncbeam " + String.join(" ", args) + "\n" + output);
    if (!ended) {
      p.destroyForcibly().waitFor();
      fail("syncbeam " + String.join(" ", args) + " did not end within " + timeout.toSeconds() + " s; it printed:\n" + output);
    }
    return new Outcome(p.exitValue(), output);
  }
}
