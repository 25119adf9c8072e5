package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.notify.WebhookDeliverer;
import dev.syncbeam.transforms.notify.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The webhook deliveries still to be made (pending, retrying) or given up (failed), oldest first. */
@Command(name = "webhooks", description = "Webhook events not delivered yet (pending or retrying) and those given up (failed), oldest first.")
final class WebhooksCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--limit", description = "how many events to list (default ${DEFAULT-VALUE})", defaultValue = "50")
  int limit;

  @Option(names = "--deliver", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "60",
      description = "first deliver every pending event now, retrying failures on the schedule for up to SECONDS (default 60)")
  Integer deliverSeconds;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.orDefault();
    if (deliverSeconds != null && cfg.webhook() == null) {
      throw new ConfigException(cfg.file() + ": webhook: not configured, nothing to deliver to");
    }
    if (deliverSeconds != null && deliverSeconds < 1) throw new ConfigException("--deliver must be at least 1 second");
    // only reads: no migration, and a destination without the outbox yet simply has nothing pending
    try (ConnectedDestination dest = ConnectedDestination.open(cfg); Connection c = dest.destination().open()) {
      WebhookOutbox outbox = new WebhookOutbox(cfg.destination().schema());
      System.out.println((cfg.webhook() == null ? "no webhook configured" : "webhook: " + cfg.webhook().describe()) + " ("
          + dest.description() + ", schema " + cfg.destination().schema() + ")");
      if (deliverSeconds != null && outbox.exists(c)) {
        WebhookDeliverer deliverer = new WebhookDeliverer(dest.destination(), cfg.webhook());
        System.out.println(deliverer.deliverUntilSettled(Instant.now().plusSeconds(deliverSeconds)).summary());
      }
      System.out.println(WebhookOutbox.summary(outbox.counts(c)));
      if (outbox.exists(c)) {
        try (PreparedStatement ps = outbox.undelivered(c, Math.max(1, limit)); ResultSet rs = ps.executeQuery()) {
          TextTable table = TextTable.of(rs);
          if (table.size() > 0) {
            System.out.println();
            table.print(System.out, 100);
          }
        }
      }
      c.commit();
    }
    return 0;
  }
}
