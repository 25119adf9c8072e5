package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.bench.ApiBenchmark;
import dev.syncbeam.pipelines.bench.Benchmark;
import dev.syncbeam.pipelines.bench.TenantBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", description = "The benchmark: SyncBeam against raw COPY and plain JdbcIO on the same Postgres, ratios last;"
    + " with --api, a full sync of C customers over HTTP from the rate-limited provider emulators.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--records", description = "records to generate (default ${DEFAULT-VALUE})", defaultValue = "100000")
  int records;

  @Option(names = "--work-dir", description = "where generated extracts go (default ${DEFAULT-VALUE}); removed afterwards",
      defaultValue = ".syncbeam/bench")
  Path workDir;

  @Option(names = "--api", description = "benchmark the API path instead: emulators with real rate limits, N records per object")
  boolean api;

  @Option(names = "--customers", description = "with --api: customers synced at once (default ${DEFAULT-VALUE})", defaultValue = "10")
  int customers;

  @Option(names = "--tenants", description = "benchmark many tenants in one run instead: T customers x 3 objects x 100 records")
  int tenants;

  @Override
  public Integer call() throws Exception {
    if (records < 100) throw new ParameterException(spec.commandLine(), "--records must be at least 100, not " + records);
    if (api) {
      if (customers < 1) throw new ParameterException(spec.commandLine(), "--customers must be at least 1, not " + customers);
      new ApiBenchmark(records, customers, System.out).run();
      return 0;
    }
    delete(workDir);
    try {
      if (tenants > 0) new TenantBenchmark(tenants, workDir, System.out).run();
      else new Benchmark(records, workDir, System.out).run();
    } finally {
      delete(workDir);
    }
    return 0;
  }

  private static void delete(Path dir) throws Exception {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
