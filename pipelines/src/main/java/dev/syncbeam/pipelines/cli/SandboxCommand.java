package dev.syncbeam.pipelines.cli;

import dev.syncbeam.sandbox.api.RateLimits;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxCredentials;
import dev.syncbeam.sandbox.api.SandboxServer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves the provider emulators until Ctrl-C and prints how to point syncbeam at them. The tokens
 * printed are the sandbox's own, generated per run; real provider tokens never pass through here.
 */
@Command(name = "sandbox", description = "Local emulators of the Salesforce, HubSpot and Pipedrive APIs over a generated dataset.")
final class SandboxCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}") int port = 8787;

  @Option(names = "--customers", description = "Number of customers. Default: ${DEFAULT-VALUE}") int customers = 2;

  @Option(names = "--records", description = "Generated records per object. Default: ${DEFAULT-VALUE}") int records = 50;

  @Option(names = "--seed", description = "Seed of the generated dataset. Default: ${DEFAULT-VALUE}") long seed = 42L;

  @Option(names = "--rate-limits", description = "off, or real: each emulator enforces its provider's published limits per tenant"
      + " and refuses over-limit requests the provider's way. Default: ${DEFAULT-VALUE}") RateLimitMode rateLimits = RateLimitMode.off;

  enum RateLimitMode { off, real }

  @Override
  public Integer call() throws InterruptedException {
    SandboxConfig config = SandboxConfig.defaults().withPort(port).withCustomers(customers).withRecordsPerObject(records).withSeed(seed)
        .withRateLimits(rateLimits == RateLimitMode.real ? RateLimits.real() : RateLimits.off());
    CountDownLatch stopped = new CountDownLatch(1);
    try (SandboxServer server = SandboxServer.start(config)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sandbox-stop"));
      System.out.println("Sandbox provider APIs on http://127.0.0.1:" + server.port() + " (Ctrl-C stops)");
      System.gc();
      System.out.printf("  %d customer(s) x %,d records per object, rate limits %s; heap in use after GC %,d MB of %,d MB%n", customers, records,
          rateLimits, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
      for (SandboxCredentials c : server.credentials()) {
        System.out.printf("  %-12s %-10s %s%n", c.customer(), c.provider(), c.baseUrl());
        System.out.println("               access token " + c.accessToken() + (c.provider().equals("pipedrive") ? ", api_token " + c.apiToken() : ""));
        System.out.println("               refresh " + c.refreshToken() + " client " + c.clientId() + " / " + c.clientSecret() + " at " + c.tokenUrl());
      }
      System.out.println();
      System.out.println("# syncbeam.yaml");
      System.out.print(yaml(server));
      stopped.await();
    }
    return 0;
  }

  static final String SERVE_KEY = "sandbox-serve-key";

  static String yaml(SandboxServer server) {
    // a sandbox-only key, like the sandbox tokens below: the file works for `syncbeam serve` as printed
    StringBuilder y = new StringBuilder("application_id: sandbox\nserve:\n  api_keys: [" + SERVE_KEY + "]\nsyncs:\n");
    for (SandboxCredentials c : server.credentials()) {
      String secret = c.provider().equals("pipedrive") ? "api_token: " + c.apiToken() : "token: " + c.accessToken();
      y.append("  - customer_id: ").append(c.customer()).append('\n')
          .append("    provider: ").append(c.provider()).append('\n')
          .append("    source: { api: { base_url: ").append(c.baseUrl()).append(", ").append(secret).append(" } }\n")
          .append("    common_objects: [accounts, contacts, leads, opportunities, users]\n");
    }
    return y.toString();
  }
}
