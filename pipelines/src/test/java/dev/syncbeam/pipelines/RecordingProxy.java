package dev.syncbeam.pipelines;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP proxy on loopback in front of another local server, remembering every request it passed on. */
final class RecordingProxy implements AutoCloseable {
  record Request(String method, String path, String query) {
    /** The value of one query parameter, or null. */
    String q(String name) {
      if (query == null) return null;
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) return pair.substring(eq + 1);
      }
      return null;
    }
  }

  private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", ":status");
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final int targetPort;

  RecordingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The same base URL, through this proxy. */
  String through(String baseUrl) {
    return baseUrl.replace(":" + targetPort, ":" + port());
  }

  List<Request> requests(String method, String pathEnd) {
    return requests.stream().filter(r -> r.method.equals(method) && r.path.endsWith(pathEnd)).toList();
  }

  private void forward(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    requests.add(new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery()));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder out = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + targetPort + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Accept")) {
        values.forEach(v -> out.header(name, v));
      }
    });
    try {
      HttpResponse<byte[]> reply = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
      // every header but those of the connection itself (Salesforce pages Bulk results with Sforce-Locator)
      reply.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) exchange.getResponseHeaders().put(name, values);
      });
      exchange.sendResponseHeaders(reply.statusCode(), reply.body().length == 0 ? -1 : reply.body().length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(reply.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
