package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;

/** A plain java.net.http client for one (customer, provider) of the sandbox, as a reader would use it. */
final class SandboxClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final SandboxCredentials creds;
  private String token;

  SandboxClient(SandboxCredentials creds) {
    this.creds = creds;
    this.token = creds.accessToken();
  }

  HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(creds.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  /** GET or POST that must succeed; returns the parsed body. */
  JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r = send(method, path, body);
    if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  JsonNode getJson(String path) throws IOException, InterruptedException {
    return json("GET", path, null);
  }

  /** Refreshes through {@code <base>/oauth/token} as an OAuth client would; returns the HTTP status. */
  int refresh() throws IOException, InterruptedException {
    String form = "grant_type=refresh_token&refresh_token=" + creds.refreshToken() + "&client_id=" + creds.clientId()
        + "&client_secret=" + creds.clientSecret();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(creds.tokenUrl())).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) token = Json.MAPPER.readTree(r.body()).get("access_token").asText();
    return r.statusCode();
  }

  static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
    return out;
  }

  /** A fixture from /work/shared/fixtures (system property syncbeam.fixtures); the test is skipped when absent. */
  static JsonNode fixture(String relative) throws IOException {
    String root = System.getProperty("syncbeam.fixtures");
    Path p = root == null ? null : Path.of(root, relative);
    Assumptions.assumeTrue(p != null && Files.isRegularFile(p), "provider fixtures not available (syncbeam.fixtures=" + root + "); shape check skipped");
    return Json.MAPPER.readTree(Files.readString(p));
  }
}
