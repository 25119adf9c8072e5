package dev.syncbeam.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.BatchSyncPipeline;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.pipelines.SyncOptions;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.providers.CommonLookups;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.util.CloudObject;
import org.apache.beam.runners.dataflow.util.CloudObjects;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.RehydratedComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyInputStream;

/**
 * The sync graph translates for Dataflow without GCP: DataflowRunner, with no credentials and path
 * validation off, writes a classic template to a local file instead of creating a job, and stages
 * the portable pipeline to a local folder. The job must hold SyncBeam's named steps, every coder must
 * come back from what Dataflow stores (its cloud objects and the pipeline proto), and no transform
 * of the Direct runner may be in it; the destination's password travels as its {@code ${VAR}}
 * reference, never as the value.
 */
class DataflowTranslationTest {
  private static final List<String> STEPS = List.of("ReadProvider", "Normalize", "WriteToPostgres", "WriteDeadLetters", "FinishRun");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void syncGraphTranslatesForDataflowWithSyncBeamsStepsAndCodersDataflowKnows(@TempDir Path tmp) throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path template = tmp.resolve("template.json");
    Path jar = tmp.resolve("syncbeam-bundled.jar");
    new JarOutputStream(Files.newOutputStream(jar)).close(); // stands in for the bundled jar: staging copies it, nothing runs it
    SyncOptions options = SyncJob.pipelineOptions(new String[] {
        "--runner=DataflowRunner", "--project=syncbeam-offline", "--region=europe-west1", "--jobName=syncbeam-translation",
        "--tempLocation=gs://syncbeam-offline/tmp", "--gcpTempLocation=gs://syncbeam-offline/tmp", "--stagingLocation=" + staging, "--templateLocation=" + template,
        "--filesToStage=" + jar, "--credentialFactoryClass=" + NoopCredentialFactory.class.getName(),
        "--pathValidatorClass=" + NoopPathValidator.class.getName()});

    Pipeline pipeline = Pipeline.create(options);
    // the password as a config writes it: a reference to the environment (PATH stands in for the secret)
    BatchSyncPipeline.build(pipeline, plan(), PostgresDestination.of("jdbc:postgresql://db.internal:5432/app", "syncbeam", "${PATH}", "supaglue"),
        options);
    PipelineResult result = pipeline.run();
    assertInstanceOf(DataflowTemplateJob.class, result, "a template was written, no job created");
    assertEquals(DataflowRunner.class, options.getRunner());

    JsonNode job = JSON.readTree(template.toFile());
    List<String> userNames = new ArrayList<>();
    int encodings = 0;
    for (JsonNode step : job.path("steps")) {
      JsonNode properties = step.path("properties");
      String userName = properties.path("user_name").path("value").asText();
      userNames.add(userName);
      for (JsonNode output : properties.path("output_info")) {
        Map<String, Object> encoding = JSON.convertValue(output.path("encoding"), Map.class);
        Coder<?> coder = CloudObjects.coderFromCloudObject(CloudObject.fromSpec(encoding));
        assertTrue(coder != null, "step " + userName + " has an output coder Dataflow cannot rebuild");
        encodings++;
      }
    }
    assertFalse(userNames.isEmpty(), "the template holds the job's steps");
    for (String name : STEPS) {
      assertTrue(userNames.stream().anyMatch(n -> n.startsWith(name + "/")), "no step of " + name + " in " + userNames);
    }
    assertTrue(encodings >= userNames.size() / 2, "steps carry their output encodings: " + encodings + " of " + userNames.size());

    // Runner v2 reads the portable pipeline staged beside the jars: every coder in it must deserialize
    Path staged;
    try (Stream<Path> files = Files.list(staging)) {
      staged = files.filter(f -> f.getFileName().toString().startsWith("pipeline")).findFirst()
          .orElseThrow(() -> new AssertionError("no pipeline proto staged in " + staging));
    }
    RunnerApi.Pipeline proto = RunnerApi.Pipeline.parseFrom(Files.readAllBytes(staged));
    RehydratedComponents components = RehydratedComponents.forComponents(proto.getComponents());
    Set<String> urns = new TreeSet<>();
    for (Map.Entry<String, RunnerApi.Coder> c : proto.getComponents().getCodersMap().entrySet()) {
      urns.add(c.getValue().getSpec().getUrn());
      assertTrue(components.getCoder(c.getKey()) != null, "coder " + c.getKey() + " does not deserialize");
    }
    assertTrue(proto.getComponents().getTransformsMap().values().stream().anyMatch(t -> t.getUniqueName().equals("WriteToPostgres")),
        "the portable pipeline keeps the WriteToPostgres composite");
    System.out.printf("Dataflow translation: %d steps, %d output encodings, coder URNs %s%n", userNames.size(), encodings, urns);

    String secret = System.getenv("PATH");
    assertFalse(Files.readString(template).contains(secret), "the template holds the value of a secret");
    // DoFns are stored Java-serialized and Snappy-compressed: look inside each one
    int withReference = 0;
    for (RunnerApi.PTransform t : proto.getComponents().getTransformsMap().values()) {
      if (!t.getSpec().getUrn().equals(PTransformTranslation.PAR_DO_TRANSFORM_URN)) continue;
      byte[] fn = RunnerApi.ParDoPayload.parseFrom(t.getSpec().getPayload()).getDoFn().getPayload().toByteArray();
      String plain;
      try (SnappyInputStream in = new SnappyInputStream(new ByteArrayInputStream(fn))) {
        plain = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      assertFalse(plain.contains(secret), t.getUniqueName() + " carries the value of a secret");
      if (plain.contains("${PATH}")) withReference++;
    }
    assertTrue(withReference >= 2, "the DoFns that open the destination carry its password's reference: " + withReference);

    List<String> directOnly = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (node.getTransform() != null && node.getTransform().getClass().getName().startsWith("org.apache.beam.runners.direct.")) {
          directOnly.add(node.getFullName());
        }
      }
    });
    assertEquals(List.of(), directOnly, "transforms of the Direct runner in the Dataflow job");
  }

  /** A full refresh of HubSpot contacts (raw table and crm_contacts) and an incremental run of a custom object, read from extracts. */
  private static SyncPlan plan() throws IOException {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    SyncKey contacts = new SyncKey("app", "hubspot", "acme", "contacts");
    SyncKey invoices = new SyncKey("app", "hubspot", "acme", "p_invoices");
    return new SyncPlan(List.of(
        new PlannedSync(contacts, RunMode.FULL, 1, now, null, "/extracts/acme/hubspot",
            ObjectTables.standardTableName("hubspot", "contacts"), null, CommonObject.CONTACTS, CommonLookups.NONE),
        new PlannedSync(invoices, RunMode.INCREMENTAL, 2, now, now.minusSeconds(3600), "/extracts/acme/hubspot",
            ObjectTables.CUSTOM_OBJECTS, ObjectTables.standardTableName("hubspot", "p_invoices"))));
  }
}
