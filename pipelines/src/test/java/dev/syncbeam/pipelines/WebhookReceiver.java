package dev.syncbeam.pipelines;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on loopback, as a user would write one: every request is verified with the
 * Standard Webhooks library (not SyncBeam's own signing code), a bad one is refused with 400, and a
 * good one is answered with the next planned status (200 once the plan is used up).
 */
final class WebhookReceiver implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One request as it arrived: its headers (names lower-cased), body, what verification said, and the answer. */
  record Delivery(Map<String, String> headers, String body, String refusal, int status, long receivedAtNanos) {
    String id() {
      return headers.get("webhook-id");
    }

    boolean acknowledged() {
      return refusal == null && status >= 200 && status < 300;
    }

    Map<String, Object> payload() {
      try {
        return JSON.readValue(body, new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final HttpServer server;
  private final Webhook verifier;
  private final Deque<Integer> plan = new ArrayDeque<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private String redirectTo;
  private Duration firstDelay = Duration.ZERO;

  private WebhookReceiver(HttpServer server, String secret) {
    this.server = server;
    this.verifier = new Webhook(secret);
    server.createContext("/", this::handle);
    // a thread per request, as real servers have: a slow answer must not hold up the next request
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-webhook-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** On a free port. */
  static WebhookReceiver start(String secret) throws IOException {
    return start(secret, 0);
  }

  /** On this port (a receiver coming back where it was). */
  static WebhookReceiver start(String secret, int port) throws IOException {
    return new WebhookReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0), secret);
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/hooks/sync";
  }

  /** The next verified requests are answered with these statuses, in order. */
  synchronized WebhookReceiver answering(Integer... statuses) {
    plan.addAll(List.of(statuses));
    return this;
  }

  /** Every verified request is answered 307 to {@code location}. */
  synchronized WebhookReceiver redirectingTo(String location) {
    redirectTo = location;
    return this;
  }

  /** The first request is answered only after {@code delay} (a slow receiver). */
  synchronized WebhookReceiver slowAtFirst(Duration delay) {
    firstDelay = delay;
    return this;
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  synchronized List<Delivery> acknowledged() {
    return deliveries.stream().filter(Delivery::acknowledged).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    String refusal = null;
    try {
      Map<String, List<String>> multi = new TreeMap<>();
      headers.forEach((k, v) -> multi.put(k, List.of(v)));
      verifier.verify(body, multi);
    } catch (WebhookVerificationException e) {
      refusal = e.getMessage();
    }
    Duration delay;
    synchronized (this) {
      delay = firstDelay;
      firstDelay = Duration.ZERO;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int status;
    synchronized (this) {
      status = refusal != null ? 400 : redirectTo != null ? 307 : plan.isEmpty() ? 200 : plan.poll();
      deliveries.add(new Delivery(headers, body, refusal, status, System.nanoTime()));
    }
    if (status == 307) exchange.getResponseHeaders().set("Location", redirectTo);
    byte[] answer = (refusal == null ? "ok" : refusal).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
