package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.RunnerOptions;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.transforms.notify.WebhookDeliverer;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", description = "The actions API (Supaglue's /crm/v2, cache invalidation on write) and the management API"
    + " (/mgmt/v2: syncs, trigger, pause, resume, runs) over HTTP. Beam options after the command pick the runner triggered runs use.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "F", description = "config file (default: ./syncbeam.yaml)")
  Path file;

  @Option(names = "--port", paramLabel = "P", description = "port to listen on (overrides serve.port)")
  Integer port;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    String[] runnerArgs = beamArgs.toArray(String[]::new);
    RunnerOptions.parse(runnerArgs); // a bad option fails now, not at the first trigger
    SyncbeamConfig cfg = ConfigLoader.fromEnvironment().load(file != null ? file : Path.of("syncbeam.yaml"));
    SyncbeamConfig.Serve serve = port == null ? cfg.serve() : cfg.serve().withPort(port);
    if (serve.apiKeys().isEmpty()) throw new IllegalStateException(cfg.file() + ": serve.api_keys lists no key; every request would be refused");
    try (ConnectedDestination dest = ConnectedDestination.open(cfg);
         SyncTrigger trigger = new SyncTrigger(dest.destination(), runnerArgs, System.out);
         WebhookDeliverer webhooks = cfg.webhook() == null ? null : new WebhookDeliverer(dest.destination(), cfg.webhook())) {
      try (Connection c = dest.destination().open()) {
        SchemaMigrator.standard().migrate(c, dest.destination().schema());
        c.commit();
      }
      // the events of triggered runs and pauses, and any a crashed process left in the outbox
      if (webhooks != null) webhooks.start();
      try (ServeServer server = ServeServer.start(serve, ServeRoutes.standard(cfg, dest.destination(), trigger))) {
        System.out.println("destination: " + dest.description() + ", schema " + cfg.destination().schema());
        System.out.println("syncbeam serve: listening on http://" + serve.bind() + ":" + server.port() + " (" + server.routes().size() + " routes)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        stopped.await();
      }
    }
    return 0;
  }
}
