package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.runners.s3.PathStyleS3ClientBuilderFactory;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Extracts on an object store: the generated HubSpot extract (and a deals folder whose pipeline
 * labels sit in {@code _pipelines/}) is put in a bucket of an S3-compatible server running in its own
 * JVM on loopback, synced from {@code s3://} through Beam's S3 file system, and must land exactly as
 * the same files synced from a local folder.
 */
class S3ExtractIT {
  private static final String BUCKET = "crm-exports";
  private static final String KEY = "test-access-key";
  private static final String SECRET = "test-secret-key";
  private static Process s3;
  private static URI endpoint;
  @TempDir static Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    String jar = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("s3mock") && e.endsWith("-exec.jar")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the s3mock exec jar is not on the test classpath"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    endpoint = URI.create("http://127.0.0.1:" + port);
    Path store = Files.createDirectories(tmp.resolve("s3-store"));
    s3 = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar,
        "--server.port=0", "--com.adobe.testing.s3mock.httpPort=" + port,
        "--com.adobe.testing.s3mock.domain.initialBuckets=" + BUCKET, "--com.adobe.testing.s3mock.domain.root=" + store)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("s3mock.log").toFile()).start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      assertTrue(s3.isAlive(), () -> "the S3 server exited: " + read(tmp.resolve("s3mock.log")));
      try {
        if (http.send(HttpRequest.newBuilder(endpoint.resolve("/" + BUCKET)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) break;
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) throw new AssertionError("the S3 server did not start: " + read(tmp.resolve("s3mock.log")));
      Thread.sleep(250);
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.destroy();
      if (!s3.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) s3.destroyForcibly();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Deals in two pipelines, whose labels only the {@code _pipelines/} lookup folder holds. */
  private static void writeDeals(Path root) throws IOException {
    Files.createDirectories(root.resolve("deals"));
    Files.createDirectories(root.resolve("_pipelines"));
    Files.writeString(root.resolve("_pipelines/deals.json"), """
        {"results": [{"id": "default", "label": "Sales", "stages": [{"id": "s1", "label": "Qualified"}]},
                     {"id": "p2", "label": "Renewals", "stages": [{"id": "r1", "label": "Up for renewal"}]}]}""");
    StringBuilder page = new StringBuilder("{\"results\": [");
    for (int i = 1; i <= 40; i++) {
      String pipeline = i % 2 == 0 ? "default" : "p2";
      page.append(i > 1 ? "," : "").append("""
          {"id": "%d", "properties": {"dealname": "deal %d", "amount": "%d", "pipeline": "%s", "dealstage": "%s"},
           "createdAt": "2024-03-01T00:00:00Z", "updatedAt": "2024-03-02T00:00:00Z", "archived": false}"""
          .formatted(i, i, i * 100, pipeline, pipeline.equals("default") ? "s1" : "r1"));
    }
    Files.writeString(root.resolve("deals/deals.json"), page.append("]}").toString());
  }

  private static void upload(Path root, String prefix) throws IOException {
    try (S3Client client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_WEST_2)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
         Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = prefix + "/" + root.relativize(f).toString().replace(File.separatorChar, '/');
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(f));
      }
    }
  }

  private static List<SyncDefinition> syncs(String root) {
    List<SyncDefinition> out = new ArrayList<>(ParityScenarios.hubspotSyncs(root));
    out.add(new SyncDefinition(new SyncKey(ParityScenarios.APP, "hubspot", "acme", "deals"), root,
        ObjectTables.standardTableName("hubspot", "deals"), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0, CommonObject.OPPORTUNITIES));
    return out;
  }

  @Test
  void anExtractInABucketLandsAsTheSameFilesOnLocalDisk() throws Exception {
    Path local = ParityScenarios.firstExtract().writeTo(Files.createDirectories(tmp.resolve("acme-hubspot")));
    writeDeals(local);
    upload(local, "acme/hubspot");
    String bucketRoot = "s3://" + BUCKET + "/acme/hubspot";

    RunnerDestination fromDisk = new RunnerDestination("s3_local_disk", ParityScenarios.SPLIT);
    RunnerDestination fromS3 = new RunnerDestination("s3_bucket", ParityScenarios.SPLIT, "--awsRegion=us-west-2",
        "--endpoint=" + endpoint, "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"" + KEY
            + "\",\"secretAccessKey\":\"" + SECRET + "\"}");
    fromDisk.run(syncs(local.toString()));
    fromS3.run(syncs(bucketRoot));

    // a dead letter names the file it came from, so it says where in the bucket to look
    assertEquals(List.of(bucketRoot + "/contacts/contacts-2.ndjson at byte 218320: record has no id"),
        fromS3.query("SELECT error FROM supaglue._syncbeam_dead_letters"));
    fromS3.query("UPDATE supaglue._syncbeam_dead_letters SET error = replace(error, '" + bucketRoot + "', '" + local + "') RETURNING 1");
    ParityScenarios.assertSameDestination(fromDisk, fromS3);
    assertEquals(List.of("Renewals | 20", "Sales | 20"),
        fromS3.query("SELECT pipeline, count(*) FROM supaglue.crm_opportunities GROUP BY pipeline ORDER BY pipeline"),
        "the deal pipeline labels were read from the bucket's _pipelines/ folder");
    assertFalse(fromS3.rowCounts("hubspot_contacts").get(0).startsWith("0 rows"), "contacts landed from the bucket");
  }
}
