package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.pipelines.config.SyncbeamConfig.SyncEntry;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The /crm/v2 group: connection headers, DELETE, and the OpenAPI document matching what is registered. */
class CrmRoutesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY = "serve-test-key";
  private static ServeServer server;

  @BeforeAll
  static void start() {
    SyncEntry acme = new SyncEntry("acme", "hubspot", Path.of("ex"), List.of("contacts"), List.of(), List.of(),
        SyncStrategy.FULL_THEN_INCREMENTAL, 0, null, 0, SyncbeamConfig.DEFAULT_PERIOD);
    SyncbeamConfig cfg = new SyncbeamConfig(Path.of("test.yaml"), "app", SyncbeamConfig.Destination.embeddedDefault(),
        new SyncbeamConfig.Serve("127.0.0.1", 0, List.of(KEY)), List.of(acme));
    server = ServeServer.start(cfg.serve(), ServeRoutes.standard(cfg, PostgresDestination.of("jdbc:postgresql://127.0.0.1:1/unused", null, null, "supaglue")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> delete(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).DELETE();
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body()).get("errors").get(0).get("code").asText();
  }

  @Test
  void connectionHeadersAreRequiredAndResolvedBeforeAnythingElse() throws Exception {
    HttpResponse<String> noHeaders = delete("/crm/v2/contacts/1", Map.of("x-api-key", KEY));
    assertEquals(401, noHeaders.statusCode());
    assertEquals("UNAUTHORIZED_ERROR", code(noHeaders));
    HttpResponse<String> unknown = delete("/crm/v2/contacts/1", Map.of("x-api-key", KEY, "x-customer-id", "globex", "x-provider-name", "hubspot"));
    assertEquals(404, unknown.statusCode());
    assertEquals("NOT_FOUND_ERROR", code(unknown));
    HttpResponse<String> del = delete("/crm/v2/contacts/1", Map.of("x-api-key", KEY, "x-customer-id", "acme", "x-provider-name", "hubspot"));
    assertEquals(501, del.statusCode());
    assertEquals("NOT_IMPLEMENTED_ERROR", code(del));
    assertEquals("501", Json.MAPPER.readTree(del.body()).get("errors").get(0).get("status").asText());
    HttpResponse<String> custom = delete("/crm/v2/custom_objects/widget/records/9",
        Map.of("x-api-key", KEY, "x-customer-id", "acme", "x-provider-name", "hubspot"));
    assertEquals(501, custom.statusCode());
    HttpResponse<String> notCommon = delete("/crm/v2/widgets/1", Map.of("x-api-key", KEY, "x-customer-id", "acme", "x-provider-name", "hubspot"));
    assertEquals(404, notCommon.statusCode());
  }

  @Test
  void everyRegisteredRouteIsInTheOpenApiDocumentAndViceVersa() throws Exception {
    HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, doc.statusCode());
    Set<String> documented = new TreeSet<>();
    Set<String> methods = Set.of("get", "post", "put", "patch", "delete");
    JsonNode paths = Json.MAPPER.readTree(doc.body()).get("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue().fieldNames().forEachRemaining(m -> {
        if (methods.contains(m)) documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
      });
    }
    Set<String> served = new HashSet<>();
    server.routes().forEach(r -> served.add(r.method().name() + " " + r.path()));
    served.add("GET " + ServeServer.OPENAPI_PATH);
    assertEquals(documented, new TreeSet<>(served));
  }
}
