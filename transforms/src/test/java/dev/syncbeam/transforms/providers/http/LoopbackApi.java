package dev.syncbeam.transforms.providers.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncbeam.transforms.model.ApiSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider API on loopback for tests: routes by method and path, replays recorded fixture files
 * verbatim or answers from a handler, and remembers every request it was sent.
 */
public final class LoopbackApi implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String path, Map<String, String> query, String body, String authorization) {
    public String q(String name) {
      return query.get(name);
    }
  }

  /** One answer; {@link #DROP} closes the connection without a response. */
  public record Reply(int status, byte[] body, Map<String, String> headers, boolean truncate) {
    public static final Reply DROP = new Reply(-1, new byte[0], Map.of(), false);

    public static Reply json(String body) {
      return new Reply(200, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), false);
    }

    public static Reply status(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), false);
    }

    /** A recorded response, byte for byte. */
    public static Reply file(Path file) {
      try {
        String type = file.toString().endsWith(".csv") ? "text/csv" : "application/json";
        return new Reply(200, Files.readAllBytes(file), Map.of("Content-Type", type), false);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    public Reply header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, truncate);
    }

    /** Sends only the first half of the body, then ends the response cleanly (a body cut short upstream). */
    public Reply truncated() {
      return new Reply(status, body, headers, true);
    }
  }

  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Handler> routes = new LinkedHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public LoopbackApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** The recorded provider responses (system property syncbeam.fixtures); the test is skipped when they are absent. */
  public static Path fixture(String relative) {
    String dir = System.getProperty("syncbeam.fixtures");
    assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
        "recorded provider responses not available: system property syncbeam.fixtures (set by surefire to ../shared/fixtures) is "
            + dir);
    Path file = Path.of(dir).resolve(relative);
    assumeTrue(Files.isRegularFile(file), "fixture " + file + " is missing");
    return file;
  }

  public LoopbackApi on(String method, String path, Handler handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  public LoopbackApi on(String method, String path, Reply reply) {
    return on(method, path, r -> reply);
  }

  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /** A source with a bearer token, fast retries and a refresh endpoint at /oauth/token. */
  public ApiSource source(String accessToken, String refreshToken) {
    return new ApiSource(baseUrl(), accessToken, null, refreshToken, refreshToken == null ? null : "client-id",
        refreshToken == null ? null : "client-secret-value", refreshToken == null ? null : baseUrl() + "/oauth/token", 4, 5);
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public List<Request> requests(String method, String path) {
    return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          query(exchange.getRequestURI().getRawQuery()), body, exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(request);
      Handler handler = routes.get(request.method() + " " + request.path());
      Reply reply = handler == null ? Reply.status(404, "{\"message\":\"no route " + request.path() + "\"}") : handler.handle(request);
      if (reply == Reply.DROP) return; // closing without a status line: the client sees a dropped connection
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = reply.truncate() ? java.util.Arrays.copyOf(reply.body(), reply.body().length / 2) : reply.body();
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return q;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
