package dev.syncbeam.pipelines.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Embedded Postgres, a sample of all three providers, a full then an incremental sync.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("demo: not built yet");
  }
}
