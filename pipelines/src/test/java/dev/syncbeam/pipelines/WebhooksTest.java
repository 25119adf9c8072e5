package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.hubspotContact;
import static dev.syncbeam.pipelines.Pages.hubspotPage;
import static dev.syncbeam.pipelines.StreamTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.syncbeam.pipelines.DestinationContractTest.CliRun;
import dev.syncbeam.pipelines.WebhookReceiver.Delivery;
import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.Migrations;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.schemas.bookkeeping.DeliveryStatus;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.schemas.bookkeeping.RunStatus;
import dev.syncbeam.transforms.notify.RetrySchedule;
import dev.syncbeam.transforms.notify.SyncCompleteEvent;
import dev.syncbeam.transforms.notify.WebhookDeliverer;
import dev.syncbeam.transforms.notify.WebhookOutbox;
import dev.syncbeam.transforms.notify.WebhookSecret;
import dev.syncbeam.transforms.notify.WebhookTarget;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: real syncs against the real PostgreSQL, a real HTTP receiver on loopback that
 * verifies every request with the Standard Webhooks library, and the outbox in between.
 */
class WebhooksTest {
  /** A signing secret in the form Svix issues (24 key bytes). */
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String OUTBOX = "supaglue._syncbeam_webhook_outbox";

  @TempDir Path dir;

  private SyncHarness harness(String name) throws Exception {
    SyncHarness h = new SyncHarness(name, dir.resolve("ex"));
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    return h;
  }

  /** A config in block style, the webhook secret written out (the CLI in this JVM reads the real environment). */
  private Path config(Setup t) throws Exception {
    StringBuilder y = new StringBuilder("application_id: " + SyncHarness.APP + "\n"
        + "destination:\n  url: \"" + t.h.url + "\"\n  user: postgres\n  password: postgres\n");
    if (t.webhookUrl != null) y.append("webhook:\n  url: \"").append(t.webhookUrl).append("\"\n  secret: \"").append(SECRET).append("\"\n");
    y.append("syncs:\n  - customer_id: acme\n    provider: hubspot\n    source:\n      extract: ./ex\n")
        .append("    standard_objects: [").append(t.objects).append("]\n").append(t.extra);
    return Files.writeString(dir.resolve("syncbeam.yaml"), y.toString());
  }

  private record Setup(SyncHarness h, String webhookUrl, String objects, String extra) {}

  private Path config(SyncHarness h, String webhookUrl, String objects) throws Exception {
    return config(new Setup(h, webhookUrl, objects, ""));
  }

  private static WebhookTarget target(String url) {
    return new WebhookTarget(URI.create(url), WebhookSecret.parse(SECRET));
  }

  private static Map<String, Object> runOf(SyncHarness h, String object) throws Exception {
    return h.rows("SELECT run_id, status, error, ended_at FROM supaglue._syncbeam_sync_runs WHERE object_name = ?"
        + " ORDER BY run_id DESC LIMIT 1", object).get(0);
  }

  private static Map<String, Object> completeEvent(long run, String object, String result, int synced, String error) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("webhook_event_type", "sync.complete");
    e.put("run_id", Long.toString(run));
    e.put("connection_id", new SyncKey(SyncHarness.APP, "hubspot", "acme", object).connectionId());
    e.put("customer_id", "acme");
    e.put("provider_name", "hubspot");
    e.put("type", "object");
    e.put("object_type", "standard");
    e.put("object", object);
    e.put("result", result);
    e.put("num_records_synced", synced);
    e.put("num_records_deleted", 0);
    e.put("error_message", error);
    return e;
  }

  private static int post(String url, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aSuccessAndAnErrorRunEachSendSyncCompleteSignedAsStandardWebhooksVerifies() throws Exception {
    SyncHarness h = harness("hooks_signed");
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      // companies has no extract folder: its run fails before reading
      CliRun run = CliRun.of("sync", "--config", config(h, receiver.url(), "contacts, companies").toString());
      assertEquals(SyncbeamCli.EXIT_FAILED, run.status(), run.out() + run.err());
      assertTrue(run.out().contains("webhooks: 2 delivered"), run.out());

      // delivered before the command returned: the end of `sync` delivers what its runs recorded
      List<Delivery> got = receiver.deliveries();
      assertEquals(2, got.size(), got.toString());
      Map<String, Delivery> byObject = got.stream().collect(Collectors.toMap(d -> (String) d.payload().get("object"), d -> d));
      Map<String, Object> ok = runOf(h, "contacts");
      Map<String, Object> failed = runOf(h, "companies");
      assertEquals("SUCCESS", ok.get("status"));
      assertEquals("FAILURE", failed.get("status"));
      long okRun = ((Number) ok.get("run_id")).longValue();
      long failedRun = ((Number) failed.get("run_id")).longValue();
      String error = (String) failed.get("error");
      assertTrue(error.contains("companies"), error);
      assertEquals(completeEvent(okRun, "contacts", "SUCCESS", 2, null), byObject.get("contacts").payload());
      assertEquals(completeEvent(failedRun, "companies", "ERROR", 0, error), byObject.get("companies").payload());

      for (Delivery d : got) {
        assertNull(d.refusal(), "verified by the Standard Webhooks library");
        assertEquals(200, d.status());
        long run2 = Long.parseLong((String) d.payload().get("run_id"));
        assertEquals("sync_complete_" + run2, d.id(), "the id comes from the run");
        for (String h2 : List.of("id", "timestamp", "signature")) assertEquals(d.headers().get("webhook-" + h2), d.headers().get("svix-" + h2), h2);
        assertTrue(d.headers().get("webhook-signature").startsWith("v1,"), d.headers().toString());
        assertTrue(Math.abs(Long.parseLong(d.headers().get("webhook-timestamp")) - Instant.now().getEpochSecond()) < 120);
        assertTrue(d.headers().get("content-type").startsWith("application/json"), d.headers().toString());
      }
      assertEquals(List.of(Map.of("status", "DELIVERED", "attempts", 1), Map.of("status", "DELIVERED", "attempts", 1)),
          h.rows("SELECT status, attempts FROM " + OUTBOX + " ORDER BY id"));
      String secretKey = SECRET.substring(WebhookSecret.PREFIX.length());
      assertFalse((run.out() + run.err()).contains(secretKey), "the secret in the output");
      assertEquals(0, h.count("SELECT count(*) FROM " + OUTBOX + " o WHERE o::text LIKE ?", "%" + secretKey + "%"), "the secret in the outbox");

      // the receiver's check is real: the same request passes again, a changed body or an old timestamp does not
      Delivery original = byObject.get("contacts");
      Map<String, String> signed = new LinkedHashMap<>();
      for (String h2 : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) signed.put(h2, original.headers().get(h2));
      assertEquals(200, post(receiver.url(), signed, original.body()));
      assertEquals(400, post(receiver.url(), signed, original.body().replace("\"num_records_synced\":2", "\"num_records_synced\":3")));
      assertTrue(receiver.deliveries().get(3).refusal().contains("signature"), receiver.deliveries().get(3).refusal());
      long old = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
      Map<String, String> stale = new LinkedHashMap<>(signed);
      stale.put("webhook-timestamp", Long.toString(old));
      stale.put("webhook-signature", new Webhook(SECRET).sign(original.id(), old, original.body()));
      assertEquals(400, post(receiver.url(), stale, original.body()));
      assertTrue(receiver.deliveries().get(4).refusal().contains("too old"), receiver.deliveries().get(4).refusal());
    }
  }

  @Test
  void aReceiverThatFailsTwiceGetsTheEventThreeTimesWithOneIdAndTheRunIsUnaffected() throws Exception {
    SyncHarness h = harness("hooks_retry");
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).answering(500, 500)) {
      Path cfg = config(h, receiver.url(), "contacts");
      CliRun run = CliRun.of("sync", "--config", cfg.toString());
      assertEquals(0, run.status(), "a webhook failure never fails a sync: " + run.out() + run.err());
      assertTrue(run.out().contains("webhooks: 0 delivered, 1 to retry"), run.out());
      Map<String, Object> before = runOf(h, "contacts");
      assertEquals("SUCCESS", before.get("status"));

      CliRun pending = CliRun.of("webhooks", "--config", cfg.toString());
      assertEquals(0, pending.status(), pending.err());
      assertTrue(pending.out().contains("webhooks: 1 pending, 0 failed, 0 delivered"), pending.out());
      assertTrue(pending.out().contains("sync_complete_" + before.get("run_id")) && pending.out().contains("HTTP 500 from http://127.0.0.1:"),
          pending.out());
      assertFalse(pending.out().contains("/hooks/sync"), "messages name the receiver's host, not its path: " + pending.out());

      // the rest on a fast schedule, so the test need not wait out the real 5 s first step
      RetrySchedule fast = new RetrySchedule(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofDays(3));
      WebhookDeliverer.Pass pass = new WebhookDeliverer(h.destination, target(receiver.url()), fast)
          .deliverUntilSettled(Instant.now().plusSeconds(20));
      assertEquals(1, pass.delivered(), pass.toString());
      assertEquals(1, pass.retrying(), pass.toString());

      List<Delivery> got = receiver.deliveries();
      assertEquals(List.of(500, 500, 200), got.stream().map(Delivery::status).toList());
      assertEquals(Set.of("sync_complete_" + before.get("run_id")), got.stream().map(Delivery::id).collect(Collectors.toSet()));
      assertTrue(got.stream().allMatch(d -> d.refusal() == null), "every attempt is signed afresh and verifies");
      long gapMillis = TimeUnit.NANOSECONDS.toMillis(got.get(2).receivedAtNanos() - got.get(1).receivedAtNanos());
      assertTrue(gapMillis >= 190, "after the second failure the wait is at least half of the 400 ms step: " + gapMillis);
      assertEquals(List.of(Map.of("status", "DELIVERED", "attempts", 3)), h.rows("SELECT status, attempts FROM " + OUTBOX));
      assertEquals(before, runOf(h, "contacts"), "the run's record is untouched by its webhook");
      CliRun after = CliRun.of("webhooks", "--config", cfg.toString());
      assertTrue(after.out().contains("webhooks: 0 pending, 0 failed, 1 delivered"), after.out());
    }
  }

  @Test
  void aBoundedWaitThatRunsOutStopsOnlyItselfAndTheDelivererGoesOn() throws Exception {
    SyncHarness h = harness("hooks_bounded");
    PostgresDestination dest = h.destination.withWebhookEvents(true);
    WebhookOutbox outbox = new WebhookOutbox(dest.schema());
    try (Connection c = dest.open()) {
      SchemaMigrator.standard().migrate(c, dest.schema());
      for (long run : new long[] {1, 2}) {
        outbox.enqueue(c, new SyncCompleteEvent(run, new SyncKey(SyncHarness.APP, "hubspot", "acme", "contacts"), ObjectType.STANDARD,
            RunStatus.SUCCESS, 1, 0, null));
      }
      c.commit();
    }
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).slowAtFirst(Duration.ofMillis(1500))) {
      WebhookDeliverer deliverer = new WebhookDeliverer(dest, target(receiver.url()));
      long started = System.nanoTime();
      WebhookDeliverer.Pass cut = deliverer.deliverWithin(Duration.ofMillis(300));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1200, "the wait is bounded");
      assertTrue(cut.cutShort() && cut.delivered() == 0, cut.toString());
      // the same deliverer still delivers: giving up a wait is not stopping it
      WebhookDeliverer.Pass rest = deliverer.deliverDue(Instant.now().plusSeconds(10));
      assertEquals(1, rest.delivered(), rest.toString());
      await("the slow attempt recorded", Duration.ofSeconds(10),
          () -> h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status = 'DELIVERED'") == 2);
      Map<String, Long> acks = receiver.acknowledged().stream().collect(Collectors.groupingBy(Delivery::id, Collectors.counting()));
      assertEquals(Map.of("sync_complete_1", 1L, "sync_complete_2", 1L), acks);
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerCostsASyncOnlyItsBoundedWaitAndIsRetriedAfterTheTimeout() throws Exception {
    SyncHarness h = harness("hooks_timeout");
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).slowAtFirst(Duration.ofSeconds(12))) {
      long started = System.nanoTime();
      CliRun run = CliRun.of("sync", "--config", config(h, receiver.url(), "contacts").toString());
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertEquals(0, run.status(), run.out() + run.err());
      assertEquals("SUCCESS", runOf(h, "contacts").get("status"));
      assertTrue(run.out().contains("webhooks: 0 delivered; the rest is retried by the next sync or stream"), run.out());
      assertTrue(seconds < 11, "the sync waited for its webhook no longer than its bounded wait: " + seconds + " s");
    }
    // the same event against a receiver that answers too late for a short timeout, then in time; the
    // update waits for the sync's attempt, whose row lock lasts until the closed receiver cut it off
    try (Connection c = h.connect()) {
      c.createStatement().execute("UPDATE " + OUTBOX + " SET next_attempt_at = now() AT TIME ZONE 'utc', attempts = 0");
    }
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).slowAtFirst(Duration.ofSeconds(2))) {
      RetrySchedule fast = new RetrySchedule(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofDays(3));
      WebhookDeliverer deliverer = new WebhookDeliverer(h.destination, target(receiver.url()), fast, Duration.ofMillis(500));
      WebhookDeliverer.Pass first = deliverer.deliverDue(Instant.now().plusSeconds(10));
      assertEquals(1, first.retrying(), first.toString());
      String error = (String) h.scalar("SELECT last_error FROM " + OUTBOX).orElseThrow();
      assertEquals("no answer from http://127.0.0.1:" + receiver.port() + " within 500 ms", error);
      WebhookDeliverer.Pass rest = deliverer.deliverUntilSettled(Instant.now().plusSeconds(10));
      assertEquals(1, rest.delivered(), rest.toString());
      assertEquals(List.of(Map.of("status", "DELIVERED", "attempts", 2)), h.rows("SELECT status, attempts FROM " + OUTBOX));
      // the late answer still reached the receiver: one event, posted twice, one id to de-duplicate by
      await("the late request recorded", Duration.ofSeconds(10), () -> receiver.deliveries().size() == 2);
      assertEquals(1, receiver.deliveries().stream().map(Delivery::id).distinct().count());
    }
  }

  @Test
  void webhooksDeliverSendsWhatWaitsForALaterAttemptNow() throws Exception {
    SyncHarness h = harness("hooks_deliver_now");
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).answering(503)) {
      Path cfg = config(h, receiver.url(), "contacts");
      assertEquals(0, CliRun.of("sync", "--config", cfg.toString()).status());
      assertTrue((Boolean) h.scalar("SELECT next_attempt_at > now() AT TIME ZONE 'utc' FROM " + OUTBOX).orElseThrow(), "backing off");
      CliRun now = CliRun.of("webhooks", "--deliver", "--config", cfg.toString());
      assertEquals(0, now.status(), now.out() + now.err());
      assertTrue(now.out().contains("webhooks: 1 delivered") && now.out().contains("webhooks: 0 pending, 0 failed, 1 delivered"), now.out());
      assertEquals(List.of(503, 200), receiver.deliveries().stream().map(Delivery::status).toList());
    }
    CliRun none = CliRun.of("webhooks", "--deliver", "--config", config(h, null, "contacts").toString());
    assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, none.status());
    assertTrue(none.err().contains("webhook: not configured, nothing to deliver to"), none.err());
  }

  @Test
  void retriesBackOffExponentiallyWithJitterFromFiveSecondsToAnHourForThreeDays() {
    RetrySchedule s = RetrySchedule.DEFAULT;
    for (int i = 0; i < 50; i++) {
      Duration first = s.delayAfter(1);
      assertTrue(first.toMillis() >= 2500 && first.toMillis() <= 5000, first.toString());
      Duration third = s.delayAfter(3);
      assertTrue(third.toMillis() >= 10_000 && third.toMillis() <= 20_000, third.toString());
      Duration late = s.delayAfter(40);
      assertTrue(late.compareTo(Duration.ofMinutes(30)) >= 0 && late.compareTo(Duration.ofHours(1)) <= 0, late.toString());
    }
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    assertFalse(s.givesUp(created, created.plus(Duration.ofDays(3)).minusSeconds(1)));
    assertTrue(s.givesUp(created, created.plus(Duration.ofDays(3))));
  }

  @Test
  void aRedirectIsNotFollowedAndAnEventRetriedPastItsPeriodIsFailedAndListed() throws Exception {
    SyncHarness h = harness("hooks_redirect");
    try (WebhookReceiver elsewhere = WebhookReceiver.start(SECRET);
         WebhookReceiver receiver = WebhookReceiver.start(SECRET).redirectingTo(elsewhere.url())) {
      Path cfg = config(h, receiver.url(), "contacts");
      CliRun run = CliRun.of("sync", "--config", cfg.toString());
      assertEquals(0, run.status(), run.out() + run.err());
      assertEquals(1, receiver.deliveries().size());
      assertEquals(307, receiver.deliveries().get(0).status());
      assertEquals(List.of(), elsewhere.deliveries(), "the signed body never goes where a redirect points");

      // a schedule with no retry period left: the next failure gives up
      RetrySchedule none = new RetrySchedule(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO);
      try (Connection c = h.connect()) {
        c.createStatement().execute("UPDATE " + OUTBOX + " SET next_attempt_at = now() AT TIME ZONE 'utc'");
      }
      WebhookDeliverer.Pass pass = new WebhookDeliverer(h.destination, target(receiver.url()), none).deliverDue(Instant.now().plusSeconds(10));
      assertEquals(1, pass.failed(), pass.toString());
      Map<String, Object> row = h.rows("SELECT status, attempts, last_error FROM " + OUTBOX).get(0);
      assertEquals("FAILED", row.get("status"));
      assertEquals(2, row.get("attempts"));
      assertTrue(String.valueOf(row.get("last_error")).contains("redirects are not followed"), row.toString());

      CliRun listed = CliRun.of("webhooks", "--config", cfg.toString());
      assertTrue(listed.out().contains("webhooks: 0 pending, 1 failed, 0 delivered") && listed.out().contains("FAILED"), listed.out());
      CliRun status = CliRun.of("status", "--config", cfg.toString());
      assertTrue(status.out().contains("webhooks: 0 pending, 1 failed, 0 delivered"), status.out());
      assertEquals(List.of(), elsewhere.deliveries());
    }
  }

  @Test
  void pausingAPausedSyncSendsNoSecondEvent() throws Exception {
    SyncHarness h = harness("hooks_pause");
    PostgresDestination dest = h.destination.withWebhookEvents(true);
    SyncKey key = new SyncKey(SyncHarness.APP, "hubspot", "acme", "contacts");
    RunLedger ledger = RunLedger.of(dest);
    try (Connection c = dest.open()) {
      SchemaMigrator.standard().migrate(c, dest.schema());
      ledger.ensureState(c, key, "full_then_incremental", ObjectType.STANDARD);
      assertTrue(ledger.pause(c, key, SyncPausedReason.FIRST));
      assertFalse(ledger.pause(c, key, SyncPausedReason.SECOND), "already paused");
      c.commit();
    }
    assertEquals(SyncPausedReason.FIRST, h.scalar("SELECT paused_reason FROM supaglue._syncbeam_sync_state").orElseThrow());
    assertEquals(1, h.count("SELECT count(*) FROM " + OUTBOX));
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      new WebhookDeliverer(dest, target(receiver.url())).deliverDue(Instant.now().plusSeconds(10));
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("webhook_event_type", "sync.paused");
      expected.put("customer_id", "acme");
      expected.put("provider_name", "hubspot");
      expected.put("type", "object");
      expected.put("object_type", "standard");
      expected.put("object", "contacts");
      expected.put("pause_reason", SyncPausedReason.FIRST);
      assertEquals(List.of(expected), receiver.acknowledged().stream().map(Delivery::payload).toList());
      assertTrue(receiver.acknowledged().get(0).id().startsWith("sync_paused_"), receiver.acknowledged().get(0).id());
    }
    // resumed and paused again: a new pause, a new event
    try (Connection c = dest.open()) {
      ledger.resume(c, key);
      assertTrue(ledger.pause(c, key, SyncPausedReason.SECOND));
      c.commit();
    }
    assertEquals(2, h.count("SELECT count(*) FROM " + OUTBOX + " WHERE event_type = 'sync.paused'"));
  }

  @Test
  void aBackgroundDelivererPrunesEventsDeliveredLongAgoAndKeepsTheRest() throws Exception {
    SyncHarness h = harness("hooks_prune");
    PostgresDestination dest = h.destination.withWebhookEvents(true);
    RunLedger ledger = RunLedger.of(dest);
    try (Connection c = dest.open()) {
      SchemaMigrator.standard().migrate(c, dest.schema());
      for (String object : List.of("old", "recent", "pending", "failed")) {
        SyncKey key = new SyncKey(SyncHarness.APP, "hubspot", "acme", object);
        ledger.ensureState(c, key, "full_then_incremental", ObjectType.STANDARD);
        assertTrue(ledger.pause(c, key, "for the test"));
      }
      c.commit();
    }
    String deliveredAgo = "UPDATE " + OUTBOX + " SET status = 'DELIVERED', delivered_at = (now() AT TIME ZONE 'utc')"
        + " - make_interval(secs => ?) WHERE object_name = ? RETURNING 1";
    h.rows(deliveredAgo, (double) WebhookDeliverer.KEEP_DELIVERED.plusHours(1).toSeconds(), "old");
    h.rows(deliveredAgo, (double) Duration.ofDays(1).toSeconds(), "recent");
    h.rows("UPDATE " + OUTBOX + " SET status = 'FAILED' WHERE object_name = 'failed' RETURNING 1");
    // a receiver that refuses: the pending event stays pending, whatever the pruning does
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).answering(500, 500, 500, 500, 500);
         WebhookDeliverer deliverer = new WebhookDeliverer(dest, target(receiver.url()))) {
      deliverer.start();
      await("the delivered-long-ago event pruned", Duration.ofSeconds(30),
          () -> h.count("SELECT count(*) FROM " + OUTBOX + " WHERE object_name = 'old'") == 0);
    }
    assertEquals(List.of("failed FAILED", "pending PENDING", "recent DELIVERED"),
        h.rows("SELECT object_name || ' ' || status AS e FROM " + OUTBOX + " ORDER BY object_name").stream()
            .map(r -> (String) r.get("e")).toList());
  }

  private static final class SyncPausedReason {
    static final String FIRST = "acme/hubspot/contacts: the provider refused the credentials (401)";
    static final String SECOND = "Manually paused by user";
  }

  @Test
  void refusedCredentialsSendSyncCompleteErrorAndOneSyncPaused() throws Exception {
    SyncHarness h = new SyncHarness("hooks_refused", dir.resolve("ex"));
    try (SandboxServer crm = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(5));
         WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      SandboxCredentials hs = crm.credentials("acme", "hubspot");
      Path cfg = Files.writeString(dir.resolve("syncbeam.yaml"), "application_id: " + SyncHarness.APP + "\n"
          + "destination:\n  url: \"" + h.url + "\"\n  user: postgres\n  password: postgres\n"
          + "webhook:\n  url: \"" + receiver.url() + "\"\n  secret: \"" + SECRET + "\"\n"
          + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    standard_objects: [contacts]\n"
          + "    source:\n      api:\n        base_url: \"" + hs.baseUrl() + "\"\n        token: \"" + hs.accessToken() + "\"\n");
      crm.faults("acme", "hubspot").revokeCredentials();
      CliRun run = CliRun.of("sync", "--config", cfg.toString());
      assertEquals(SyncbeamCli.EXIT_FAILED, run.status(), run.out() + run.err());
      String reason = (String) h.scalar("SELECT paused_reason FROM supaglue._syncbeam_sync_state WHERE paused").orElseThrow();

      Map<String, Map<String, Object>> byType = receiver.acknowledged().stream().map(Delivery::payload)
          .collect(Collectors.toMap(p -> (String) p.get("webhook_event_type"), Function.identity()));
      assertEquals(Set.of("sync.complete", "sync.paused"), byType.keySet(), receiver.deliveries().toString());
      assertEquals("ERROR", byType.get("sync.complete").get("result"));
      assertEquals(reason, byType.get("sync.paused").get("pause_reason"));
      assertFalse(receiver.deliveries().toString().contains(hs.accessToken()), "the provider token in a webhook");

      CliRun skipped = CliRun.of("sync", "--config", cfg.toString());
      assertTrue(skipped.out().contains("paused"), skipped.out());
      assertEquals(2, receiver.deliveries().size(), "a skipped paused sync sends nothing: " + receiver.deliveries());
    }
  }

  @Test
  void statusAndWebhooksReadADestinationWithoutTheOutboxYet() throws Exception {
    SyncHarness h = harness("hooks_premigration");
    try (Connection c = h.destination.open()) {
      new SchemaMigrator(Migrations.ALL.subList(0, 2)).migrate(c, SyncHarness.SCHEMA);
      WebhookOutbox outbox = new WebhookOutbox(SyncHarness.SCHEMA);
      assertFalse(outbox.exists(c));
      assertEquals(Map.of(DeliveryStatus.PENDING, 0L, DeliveryStatus.DELIVERED, 0L, DeliveryStatus.FAILED, 0L), outbox.counts(c));
      c.createStatement().execute("SELECT 1"); // the transaction was not aborted by a missing table
      c.commit();
    }
    CliRun listed = CliRun.of("webhooks", "--config", config(h, null, "contacts").toString());
    assertEquals(0, listed.status(), listed.out() + listed.err());
    assertTrue(listed.out().contains("no webhook configured") && listed.out().contains("webhooks: 0 pending, 0 failed, 0 delivered"),
        listed.out());
    assertEquals(0, h.count("SELECT count(*) FROM pg_tables WHERE tablename = '_syncbeam_webhook_outbox'"), "listing migrates nothing");
  }

  @Test
  void eventsOutliveAKilledStreamAndAReceiverThatWasDownAndAreAcknowledgedOnceEach() throws Exception {
    SyncHarness h = harness("hooks_killed");
    int port = freePort(); // nothing listens there until the receiver comes back
    Path cfg = config(new Setup(h, "http://127.0.0.1:" + port + "/hooks/sync", "contacts", "    period: 2s\n"));
    long started = System.nanoTime();
    Process first = stream(cfg, dir.resolve("first.log"));
    Set<String> beforeKill;
    try {
      await("a delivery that failed while the receiver is down", Duration.ofSeconds(60), () -> {
        assertTrue(first.isAlive(), Files.readString(dir.resolve("first.log")));
        return h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status = 'PENDING' AND attempts >= 1") >= 1;
      });
    } finally {
      first.destroyForcibly(); // kill -9: no shutdown hook, no last delivery
      first.waitFor(30, TimeUnit.SECONDS);
    }
    beforeKill = eventIds(h);
    long killed = System.nanoTime();
    assertEquals(0, h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status = 'DELIVERED'"));

    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, port)) {
      // restarted in another process (this one: a second JVM start would only add minutes on a loaded machine)
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      StreamJob second = new StreamJob(h.destination.withWebhookEvents(true), new PrintStream(log, true), Duration.ofSeconds(5),
          target("http://127.0.0.1:" + port + "/hooks/sync"));
      Thread running = StreamTest.start(second, cfg);
      try {
        await("every event delivered, the restarted stream's own too", Duration.ofSeconds(60), () ->
            h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status <> 'DELIVERED'") == 0
                && h.count("SELECT count(*) FROM " + OUTBOX) > beforeKill.size());
      } finally {
        System.out.printf("webhooks: first stream killed %.1fs after its start, every event delivered %.1fs after the restart%n",
            (killed - started) / 1e9, (System.nanoTime() - killed) / 1e9);
        second.stop(Duration.ofSeconds(5)); // as SIGTERM does: stop, then deliver what the last runs recorded
        running.join(30_000);
      }
      assertEquals(0, h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status <> 'DELIVERED'"), log.toString());
      Map<String, Long> acks = receiver.acknowledged().stream().collect(Collectors.groupingBy(Delivery::id, Collectors.counting()));
      assertEquals(eventIds(h), acks.keySet(), "every event in the outbox reached the receiver");
      assertTrue(acks.keySet().containsAll(beforeKill), "the killed process's events too");
      assertTrue(acks.values().stream().allMatch(n -> n == 1), "acknowledged exactly once each: " + acks);
      assertTrue(receiver.deliveries().stream().allMatch(d -> d.refusal() == null), "all verified");
      String secretKey = SECRET.substring(WebhookSecret.PREFIX.length());
      assertFalse((log + Files.readString(dir.resolve("first.log"))).contains(secretKey), "the secret in a stream's log");
    }
  }

  @Test
  void eventsOutliveAKilledServeAndAReceiverThatWasDownAndAreAcknowledgedOnceEach() throws Exception {
    SyncHarness h = harness("hooks_serve_killed");
    int receiverPort = freePort(); // nothing listens there until the receiver comes back
    int servePort = freePort();
    String key = "serve-hooks-key";
    Path cfg = config(new Setup(h, "http://127.0.0.1:" + receiverPort + "/hooks/sync", "contacts", ""));
    Files.writeString(cfg, Files.readString(cfg) + "serve:\n  port: " + servePort + "\n  api_keys: [" + key + "]\n");
    Map<String, String> acme = Map.of("x-api-key", key, "x-customer-id", "acme", "x-provider-name", "hubspot",
        "content-type", "application/json");
    String mgmt = "http://127.0.0.1:" + servePort + "/mgmt/v2/syncs/";
    Process first = serve(cfg, dir.resolve("serve-1.log"));
    try {
      awaitListening(first, servePort, dir.resolve("serve-1.log"));
      assertEquals(200, post(mgmt + "_trigger", acme, "{\"object_type\": \"standard\", \"object\": \"contacts\"}"));
      await("the triggered run's event tried while the receiver is down", Duration.ofSeconds(60), () ->
          h.count("SELECT count(*) FROM " + OUTBOX + " WHERE event_type = 'sync.complete' AND attempts >= 1") == 1);
      assertEquals(200, post(mgmt + "_pause", acme, "{\"object_type\": \"standard\", \"object\": \"contacts\"}"));
      assertEquals(1, h.count("SELECT count(*) FROM " + OUTBOX + " WHERE event_type = 'sync.paused'"));
    } finally {
      first.destroyForcibly(); // kill -9: no shutdown hook, no last delivery
      first.waitFor(30, TimeUnit.SECONDS);
    }
    Set<String> beforeKill = eventIds(h);
    assertEquals(0, h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status = 'DELIVERED'"));

    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, receiverPort)) {
      Process second = serve(cfg, dir.resolve("serve-2.log"));
      try {
        await("every event delivered by the restarted serve", Duration.ofSeconds(90), () -> {
          assertTrue(second.isAlive(), Files.readString(dir.resolve("serve-2.log")));
          return h.count("SELECT count(*) FROM " + OUTBOX + " WHERE status <> 'DELIVERED'") == 0;
        });
      } finally {
        second.destroy(); // SIGTERM
        second.waitFor(30, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
      Map<String, Long> acks = receiver.acknowledged().stream().collect(Collectors.groupingBy(Delivery::id, Collectors.counting()));
      assertEquals(beforeKill, acks.keySet(), "the killed serve's events, a run's and a pause's");
      assertTrue(acks.values().stream().allMatch(n -> n == 1), "acknowledged exactly once each: " + acks);
      assertTrue(receiver.deliveries().stream().allMatch(d -> d.refusal() == null), "all verified");
      String secretKey = SECRET.substring(WebhookSecret.PREFIX.length());
      assertFalse((Files.readString(dir.resolve("serve-1.log")) + Files.readString(dir.resolve("serve-2.log"))).contains(secretKey),
          "the secret in serve's log");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(Process serve, int port, Path log) throws Exception {
    await("serve listening", Duration.ofSeconds(90), () -> {
      assertTrue(serve.isAlive(), Files.readString(log));
      try {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.json")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (java.io.IOException notYet) {
        return false;
      }
    });
  }

  private Process serve(Path cfg, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.syncbeam.pipelines.cli.SyncbeamCli",
        "serve", "--config", cfg.toString()));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static Set<String> eventIds(SyncHarness h) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (Map<String, Object> r : h.rows("SELECT event_id FROM " + OUTBOX)) ids.add((String) r.get("event_id"));
    return ids;
  }

  private Process stream(Path cfg, Path log) throws Exception {
    // C1 only: a short-lived JVM on a loaded machine starts faster without the optimizing compiler's work
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.syncbeam.pipelines.cli.SyncbeamCli",
        "stream", "--config", cfg.toString(), "--drain-seconds", "5"));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
