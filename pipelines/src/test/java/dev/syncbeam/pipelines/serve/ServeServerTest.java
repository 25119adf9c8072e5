package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void keyIsCheckedAndErrorsKeepSupaglueShape() throws Exception {
    Routes ping = r -> r.get("/crm/v2/ping", ctx -> ctx.json(Map.of("ok", true)));
    try (ServeServer server = ServeServer.start(new SyncbeamConfig.Serve("127.0.0.1", 0, List.of("k-one", "k-two")), List.of(ping))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/crm/v2/ping")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, none.statusCode());
      JsonNode err = Json.MAPPER.readTree(none.body()).get("errors").get(0);
      assertEquals("UNAUTHORIZED_ERROR", err.get("code").asText());
      assertEquals("401", err.get("status").asText());
      assertEquals("syncbeam", err.get("meta").get("origin").asText());
      assertTrue(err.hasNonNull("id") && err.hasNonNull("title") && err.hasNonNull("detail") && err.hasNonNull("problem_type"));

      HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/crm/v2/ping")).header("x-api-key", "k-three").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());
      HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/crm/v2/ping")).header("x-api-key", "k-two").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/crm/v2/nothing")).header("x-api-key", "k-two").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
      assertEquals("NOT_FOUND_ERROR", Json.MAPPER.readTree(missing.body()).get("errors").get(0).get("code").asText());
      HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, doc.statusCode());
      assertEquals("3.1.0", Json.MAPPER.readTree(doc.body()).get("openapi").asText());
      assertEquals(List.of(new RouteRegistry.Route(HandlerType.GET, "/crm/v2/ping")), server.routes());
    }
  }
}
