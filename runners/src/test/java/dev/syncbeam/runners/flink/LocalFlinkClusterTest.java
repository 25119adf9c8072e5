package dev.syncbeam.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.runners.flink.LocalFlinkCluster.Spec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code flink-cluster start} writes and how it fails; the cluster running for real is FlinkClusterIT's. */
class LocalFlinkClusterTest {

  @Test
  void writesAConfigFlinkReadsBackBoundToLoopback(@TempDir Path home) throws Exception {
    Path conf = new LocalFlinkCluster(home).writeConfig(Spec.of(3, 2, 18081), 18081, 16123);
    Configuration c = GlobalConfiguration.loadConfiguration(conf.toString());
    assertEquals(18081, c.get(RestOptions.PORT));
    assertEquals("127.0.0.1", c.get(RestOptions.BIND_ADDRESS));
    assertEquals("127.0.0.1", c.get(JobManagerOptions.BIND_HOST));
    assertEquals("127.0.0.1", c.get(TaskManagerOptions.BIND_HOST));
    assertEquals(16123, c.get(JobManagerOptions.PORT));
    assertEquals(2, c.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertEquals(6, c.get(CoreOptions.DEFAULT_PARALLELISM));
    assertEquals(MemorySize.parse("2048m"), c.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY));
    assertEquals(List.of("org.postgresql."), c.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL));
    assertEquals(home.resolve("tmp").toAbsolutePath().toString(), c.get(CoreOptions.TMP_DIRS));
  }

  @Test
  void refusesAPortSomethingElseListensOn(@TempDir Path home) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new LocalFlinkCluster(home).start(Spec.of(1, 1, taken.getLocalPort()), Duration.ofSeconds(30)));
      assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is taken"), e.getMessage());
    }
    assertFalse(Files.exists(home.resolve("cluster.json")), "nothing started, nothing recorded");
  }

  @Test
  void aProcessThatDiesWhileStartingFailsStartWithTheEndOfItsLog(@TempDir Path home) throws Exception {
    // a classpath without Flink: the JobManager's JVM exits at once, saying so in its log
    Path empty = Files.createDirectories(home.resolve("no-flink-here"));
    LocalFlinkCluster cluster = new LocalFlinkCluster(home.resolve("flink"), empty.toString());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> cluster.start(Spec.of(2, 1, 0), Duration.ofSeconds(60)));
    assertTrue(e.getMessage().startsWith("the Flink jobmanager (pid "), e.getMessage());
    assertTrue(e.getMessage().contains("exited with status 1 while starting"), e.getMessage());
    assertTrue(e.getMessage().contains("Could not find or load main class " + StandaloneSessionClusterEntrypoint.class.getName()),
        e.getMessage());
    assertFalse(Files.exists(cluster.stateFile()), "a failed start leaves no cluster recorded");
    assertEquals(List.of("no Flink cluster recorded in " + cluster.stateFile()), cluster.stop());
  }
}
