package dev.syncbeam.transforms.notify;

import dev.syncbeam.transforms.postgres.PostgresDestination;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the outbox's pending events to the webhook receiver, signed, and marks each delivered,
 * retried later (see {@link RetrySchedule}) or failed. Each event is claimed in its own transaction
 * with {@code FOR UPDATE SKIP LOCKED} and the row stays locked while it is posted, so deliverers in
 * several processes never post one event at once; a deliverer that dies mid-post leaves the event
 * pending, and it is posted again with the same id (receivers de-duplicate by it).
 *
 * <p>Callers either deliver what is due now ({@link #deliverDue}, {@link #deliverWithin}) or start
 * it in the background ({@link #start}, {@link #stop}) for as long as a long-running command runs.
 */
public final class WebhookDeliverer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverer.class);
  /** Connect and answer timeout of one delivery. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  /** How long a background deliverer with nothing due sleeps before it looks again. */
  private static final Duration IDLE_POLL = Duration.ofSeconds(5);
  /**
   * The least wait between passes: an event that is due but that another deliverer is posting
   * (its row locked) must not turn the loop into a spin for as long as that post takes.
   */
  private static final Duration BUSY_PAUSE = Duration.ofMillis(100);
  /** How long a delivered event stays in the outbox (for a receiver's questions), and how often a background deliverer prunes. */
  public static final Duration KEEP_DELIVERED = Duration.ofDays(30);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);

  private final PostgresDestination destination;
  private final WebhookTarget target;
  private final RetrySchedule schedule;
  private final Duration timeout;
  private final WebhookOutbox outbox;
  private final HttpClient http;
  private final Object wakeup = new Object();
  private Thread background;
  private AtomicBoolean backgroundStop;
  /** Guarded by {@link #wakeup}. */
  private boolean wakeRequested;

  public WebhookDeliverer(PostgresDestination destination, WebhookTarget target) {
    this(destination, target, RetrySchedule.DEFAULT);
  }

  public WebhookDeliverer(PostgresDestination destination, WebhookTarget target, RetrySchedule schedule) {
    this(destination, target, schedule, TIMEOUT);
  }

  /** With another timeout per attempt than {@link #TIMEOUT} (tests of a receiver that does not answer). */
  public WebhookDeliverer(PostgresDestination destination, WebhookTarget target, RetrySchedule schedule, Duration timeout) {
    this.destination = destination;
    this.target = target;
    this.schedule = schedule;
    this.timeout = timeout;
    this.outbox = new WebhookOutbox(destination.schema());
    // a redirect would send the signed body somewhere the user did not configure
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** What one round of delivery did; {@code cutShort} when its time ran out with events still due. */
  public record Pass(int delivered, int retrying, int failed, boolean cutShort) {
    static final Pass NONE = new Pass(0, 0, 0, false);

    Pass plus(Pass o) {
      return new Pass(delivered + o.delivered, retrying + o.retrying, failed + o.failed, cutShort || o.cutShort);
    }

    Pass cut() {
      return new Pass(delivered, retrying, failed, true);
    }

    public int attempts() {
      return delivered + retrying + failed;
    }

    /** One line for the end of a command: what was delivered and what waits for a later deliverer. */
    public String summary() {
      String later = retrying > 0 || cutShort ? "; the rest is retried by the next sync or stream (./syncbeam webhooks lists it)" : "";
      return "webhooks: " + delivered + " delivered" + (retrying > 0 ? ", " + retrying + " to retry" : "")
          + (failed > 0 ? ", " + failed + " given up" : "") + later;
    }
  }

  /** Posts every event due now, one after the other, until none is due or {@code deadline} has passed. */
  public Pass deliverDue(Instant deadline) throws SQLException {
    return deliverDue(deadline, () -> false, p -> {});
  }

  /**
   * As {@link #deliverDue(Instant)}, also ending when {@code cancelled} says so, and telling
   * {@code progress} the total after each attempt (so a caller that stops waiting knows what was done).
   */
  private Pass deliverDue(Instant deadline, BooleanSupplier cancelled, Consumer<Pass> progress) throws SQLException {
    Pass total = Pass.NONE;
    try (Connection c = destination.open()) {
      while (!cancelled.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
        if (!Instant.now().isBefore(deadline)) return total.cut();
        Pass one = deliverOne(c);
        if (one == null) break;
        total = total.plus(one);
        progress.accept(total);
      }
    }
    return total;
  }

  /**
   * Delivers what is due now, waiting at most {@code budget}, for the end of a command that must not
   * be held up by a slow receiver: what is left is delivered by the next deliverer. Never throws.
   * Giving up here stops only this call: a background deliverer of the same instance keeps going.
   */
  public Pass deliverWithin(Duration budget) {
    Instant deadline = Instant.now().plus(budget);
    AtomicBoolean givenUp = new AtomicBoolean();
    AtomicReference<Pass> soFar = new AtomicReference<>(Pass.NONE);
    CompletableFuture<Pass> pass = CompletableFuture.supplyAsync(() -> {
      try {
        return deliverDue(deadline, givenUp::get, soFar::set);
      } catch (SQLException e) {
        LOG.warn("webhooks: could not read the outbox ({}); the events stay pending", firstLine(e.getMessage()));
        return soFar.get();
      }
    }, r -> {
      Thread t = new Thread(r, "syncbeam-webhooks-once");
      t.setDaemon(true); // a receiver that does not answer must not keep the JVM alive
      t.start();
    });
    try {
      return pass.get(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      givenUp.set(true); // the attempt in flight finishes (or dies with the JVM) and nothing more starts; its event stays pending
      return soFar.get().cut();
    } catch (InterruptedException e) {
      givenUp.set(true);
      Thread.currentThread().interrupt();
      return soFar.get().cut();
    } catch (ExecutionException e) {
      return soFar.get().cut();
    }
  }

  /**
   * Makes every pending event due now and keeps delivering, on the retry schedule, until none is
   * pending or {@code deadline} has passed; returns what it did. For a user who asks for delivery now.
   */
  public Pass deliverUntilSettled(Instant deadline) throws SQLException, InterruptedException {
    try (Connection c = destination.open()) {
      outbox.allDueNow(c, Instant.now());
      c.commit();
    }
    Pass total = Pass.NONE;
    while (true) {
      total = total.plus(deliverDue(deadline));
      if (Thread.interrupted()) throw new InterruptedException("stopped while delivering webhooks");
      Instant next;
      try (Connection c = destination.open()) {
        next = outbox.nextDue(c);
      }
      if (next == null) return total;
      if (!next.isBefore(deadline)) return total.cut();
      Thread.sleep(Math.max(BUSY_PAUSE.toMillis(), Duration.between(Instant.now(), next).toMillis()));
    }
  }

  /** Starts delivering in the background until {@link #stop}; database outages are ridden out. */
  public synchronized void start() {
    if (background != null) return;
    // a flag per thread: a thread that outlives stop()'s wait still ends, whatever later starts do
    AtomicBoolean stop = new AtomicBoolean();
    backgroundStop = stop;
    background = new Thread(() -> runInBackground(stop), "syncbeam-webhooks");
    background.setDaemon(true);
    background.start();
  }

  /** Looks at the outbox now instead of at the next poll (a run just ended). */
  public void wake() {
    synchronized (wakeup) {
      wakeRequested = true;
      wakeup.notifyAll();
    }
  }

  /**
   * Stops the background deliverer, waiting for an attempt in flight up to its timeout. Not by
   * interrupting it: an attempt cut off after the receiver said 2xx would stay pending and be posted twice.
   */
  public synchronized void stop() {
    if (background == null) return;
    backgroundStop.set(true);
    wake();
    try {
      background.join(timeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    background = null;
    backgroundStop = null;
  }

  @Override
  public void close() {
    stop();
  }

  private void runInBackground(AtomicBoolean stop) {
    boolean outage = false;
    Instant lastPrune = Instant.EPOCH;
    while (!stop.get()) {
      Duration sleep = IDLE_POLL;
      try {
        deliverDue(Instant.MAX, stop::get, p -> {});
        try (Connection c = destination.open()) {
          if (Duration.between(lastPrune, Instant.now()).compareTo(PRUNE_EVERY) >= 0) {
            // delivered events would otherwise pile up in the user's database for ever
            int pruned = outbox.pruneDelivered(c, Instant.now().minus(KEEP_DELIVERED));
            c.commit();
            if (pruned > 0) LOG.info("webhooks: removed {} event(s) delivered more than {} days ago", pruned, KEEP_DELIVERED.toDays());
            lastPrune = Instant.now();
          }
          Instant next = outbox.nextDue(c);
          if (next != null) sleep = clamp(Duration.between(Instant.now(), next));
        }
        if (outage) LOG.info("webhooks: the outbox is readable again");
        outage = false;
      } catch (SQLException e) {
        if (!outage) LOG.warn("webhooks: cannot reach the outbox ({}); trying again every {} s", firstLine(e.getMessage()),
            IDLE_POLL.toSeconds());
        outage = true;
      }
      synchronized (wakeup) {
        try {
          // a wake that came while this pass ran is not lost: the next pass starts at once
          if (!stop.get() && !wakeRequested) wakeup.wait(Math.max(1, sleep.toMillis()));
          wakeRequested = false;
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static Duration clamp(Duration d) {
    if (d.compareTo(BUSY_PAUSE) < 0) return BUSY_PAUSE;
    return d.compareTo(IDLE_POLL) > 0 ? IDLE_POLL : d;
  }

  /** Claims, posts and records one due event in one transaction; null when nothing is due. */
  private Pass deliverOne(Connection c) throws SQLException {
    WebhookOutbox.Claimed event = outbox.claimDue(c, Instant.now());
    if (event == null) {
      c.commit();
      return null;
    }
    String failure;
    try {
      failure = post(event);
    } catch (InterruptedException e) {
      c.rollback(); // stopped mid-post: the event stays pending
      Thread.currentThread().interrupt(); // the caller's loop ends on it
      return Pass.NONE;
    }
    Instant now = Instant.now();
    int attempt = event.attempts() + 1;
    Pass done;
    if (failure == null) {
      outbox.delivered(c, event, now);
      done = new Pass(1, 0, 0, false);
    } else if (schedule.givesUp(event.createdAt(), now)) {
      outbox.failed(c, event, now, failure);
      LOG.warn("webhook {}: attempt {} failed ({}); retried for {}, giving up", event.eventId(), attempt, failure,
          schedule.giveUpAfter());
      done = new Pass(0, 0, 1, false);
    } else {
      Duration wait = schedule.delayAfter(attempt);
      outbox.retryAt(c, event, now, now.plus(wait), failure);
      LOG.warn("webhook {}: attempt {} failed ({}); next attempt in {} s", event.eventId(), attempt, failure,
          Math.max(1, wait.toSeconds()));
      done = new Pass(0, 1, 0, false);
    }
    c.commit();
    return done;
  }

  /** Posts one event, signed at this moment; returns null when the receiver acknowledged it (2xx), else why not. */
  private String post(WebhookOutbox.Claimed event) throws InterruptedException {
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "syncbeam-webhooks")
        .POST(HttpRequest.BodyPublishers.ofString(event.body()));
    for (Map.Entry<String, String> h : WebhookSignature.headers(target.secret(), event.eventId(), timestamp, event.body()).entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int code = response.statusCode();
      if (code >= 200 && code < 300) return null;
      if (code >= 300 && code < 400) return "HTTP " + code + " from " + target.describe() + ": redirects are not followed";
      return "HTTP " + code + " from " + target.describe();
    } catch (HttpTimeoutException e) {
      return "no answer from " + target.describe() + " within "
          + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return "could not connect to " + target.describe();
    } catch (IOException e) {
      return e.getClass().getSimpleName() + " talking to " + target.describe() + ": " + withoutUrl(e.getMessage());
    }
  }

  /** The configured URL may carry a token in its path or query: messages name only its host. */
  private String withoutUrl(String message) {
    return message == null ? "" : firstLine(message.replace(target.url().toString(), target.describe()));
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
