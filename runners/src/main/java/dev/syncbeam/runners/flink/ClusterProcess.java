package dev.syncbeam.runners.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process a {@link LocalFlinkCluster} started, recorded so a later command finds it again. A
 * pid alone is not enough (the OS reuses them): the process must also have the recorded start time
 * and a command line naming this cluster's home, the role and the entry point.
 */
public record ClusterProcess(String role, long pid, long startedAtMillis, String mainClass, String home, String log) {
  /** JVM flags that name a cluster process's home and role on its command line. */
  static final String HOME_PROPERTY = "-Dsyncbeam.flink.home";
  static final String ROLE_PROPERTY = "-Dsyncbeam.flink.role";

  static ClusterProcess of(String role, ProcessHandle handle, String mainClass, Path home, Path log) {
    long started = handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    return new ClusterProcess(role, handle.pid(), started, mainClass, home.toString(), log.toString());
  }

  /** The live process this record names, if it still runs and is still the one started. */
  public Optional<ProcessHandle> handle() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isTheOneStarted);
  }

  public boolean alive() {
    return handle().isPresent();
  }

  private boolean isTheOneStarted(ProcessHandle h) {
    ProcessHandle.Info info = h.info();
    boolean sameStart = info.startInstant().map(Instant::toEpochMilli).map(t -> t == startedAtMillis).orElse(false);
    String commandLine = info.commandLine().orElse("");
    return sameStart && commandLine.contains(HOME_PROPERTY + "=" + home + " ") && commandLine.contains(ROLE_PROPERTY + "=" + role + " ")
        && commandLine.contains(" " + mainClass + " ");
  }

  /** Asks the process to end (SIGTERM, Flink shuts down cleanly), then kills it if it is still there after {@code grace}. */
  String stop(Duration grace) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return "not running";
    Optional<ProcessHandle> h = handle();
    if (h.isEmpty()) return "left alone: pid " + pid + " now belongs to another process";
    h.get().destroy();
    try {
      h.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return "stopped";
    } catch (TimeoutException e) {
      h.get().destroyForcibly();
      h.get().onExit().join();
      return "killed after " + grace.toSeconds() + " s without stopping";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.get().destroyForcibly();
      return "killed (interrupted while waiting for it to stop)";
    } catch (ExecutionException e) {
      return "stopped";
    }
  }
}
