package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "The actions API (Supaglue's /crm/v2, cache invalidation on write) over HTTP.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "F", description = "config file (default: ./syncbeam.yaml)")
  Path file;

  @Option(names = "--port", paramLabel = "P", description = "port to listen on (overrides serve.port)")
  Integer port;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = ConfigLoader.fromEnvironment().load(file != null ? file : Path.of("syncbeam.yaml"));
    SyncbeamConfig.Serve serve = port == null ? cfg.serve() : cfg.serve().withPort(port);
    if (serve.apiKeys().isEmpty()) throw new IllegalStateException(cfg.file() + ": serve.api_keys lists no key; every request would be refused");
    try (ConnectedDestination destination = ConnectedDestination.open(cfg.destination());
         ServeServer server = ServeServer.start(serve, ServeRoutes.standard(cfg, destination.destination()))) {
      System.out.println("syncbeam serve: listening on http://" + serve.bind() + ":" + server.port() + " (" + server.routes().size()
          + " routes); cache refreshes go to " + destination.description());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
