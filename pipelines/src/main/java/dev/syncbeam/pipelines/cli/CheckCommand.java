package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.ProviderCatalog;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.model.ApiSource;
import dev.syncbeam.transforms.postgres.Preflight;
import dev.syncbeam.transforms.providers.Providers;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.run.SyncLocks;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", description = "Preflight: reaches Postgres, verifies privileges (naming any missing GRANT) and each sync's source.")
final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.required();
    int problems = 0;
    try (ConnectedDestination dest = ConnectedDestination.open(cfg)) {
      List<String> missing = Preflight.missingPrivileges(dest.destination());
      if (missing.isEmpty()) {
        for (long run : SyncLocks.recoverAbandoned(dest.destination())) {
          System.out.println("note  run " + run + " was left in progress by a process that stopped: recorded as abandoned");
        }
        System.out.println("ok    destination " + dest.description() + ": connected, privileges on schema " + cfg.destination().schema() + " complete");
      } else {
        problems += missing.size();
        missing.forEach(m -> System.out.println("FAIL  destination: " + m));
      }
    }
    for (SyncDefinition def : SyncDefinition.expand(cfg, List.of())) {
      if (def.readsApi()) {
        ApiSource a = def.api();
        // a preflight should answer in seconds: few retries, short waits
        ApiSource quick = a.withRetries(Math.min(a.maxAttempts(), 3), Math.min(a.backoffMillis(), 200));
        try {
          Providers.get(def.key().provider()).api().probe(def.key().object(), new ApiClient(def.key().provider(), quick));
          System.out.printf("ok    %s: %s answered for %s with these credentials%n", def.key().label(), a.baseUrl(), def.key().object());
        } catch (Exception e) {
          problems++;
          System.out.printf("FAIL  %s: %s%n", def.key().label(), e.getMessage());
        }
        continue;
      }
      try {
        int files = ExtractLayout.files(def.extractRoot().toString(), def.key().object()).size();
        System.out.printf("ok    %s: %d extract file(s) in %s%n", def.key().label(), files,
            ExtractLayout.objectFolder(def.extractRoot().toString(), def.key().object()));
      } catch (IllegalArgumentException e) {
        problems++;
        System.out.printf("FAIL  %s: %s%n", def.key().label(), e.getMessage());
      }
    }
    System.out.println(problems == 0 ? "all checks passed" : problems + " problem(s)");
    return problems == 0 ? 0 : SyncbeamCli.EXIT_FAILED;
  }
}
