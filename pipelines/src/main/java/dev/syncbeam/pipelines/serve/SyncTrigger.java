package dev.syncbeam.pipelines.serve;

import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.schemas.bookkeeping.ObjectType;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunLedger;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync now, in the {@code serve} process, on the runner its Beam options name, exactly as
 * {@code syncbeam sync --only} would: the per-sync advisory lock makes a trigger that meets a running
 * run (here, in a {@code sync} or a {@code stream}) skip, and a requested full refresh is recorded
 * before that, so it applies to whichever run comes next.
 */
public final class SyncTrigger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncTrigger.class);
  private final PostgresDestination destination;
  private final String[] beamArgs;
  private final PrintStream out;
  private final AtomicInteger running = new AtomicInteger();
  private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "serve-trigger");
    t.setDaemon(true);
    return t;
  });

  public SyncTrigger(PostgresDestination destination, String[] beamArgs, PrintStream out) {
    this.destination = destination;
    this.beamArgs = beamArgs.clone();
    this.out = out;
  }

  /** Records a requested full refresh at once, then starts the run in the background. */
  public void start(SyncDefinition def, boolean fullRefresh) throws SQLException {
    if (fullRefresh) {
      RunLedger ledger = RunLedger.of(destination);
      try (Connection c = destination.open()) {
        ledger.ensureState(c, def.key(), def.strategy(), def.custom() ? ObjectType.CUSTOM : ObjectType.STANDARD);
        ledger.requestFullRefresh(c, def.key());
        c.commit();
      }
    }
    running.incrementAndGet();
    runs.submit(() -> {
      try {
        SyncJob.Result result = new SyncJob(destination, out).run(List.of(def), false, beamArgs);
        out.printf("%-40s triggered: %s%n", def.key().label(), result.runIds().isEmpty() ? "skipped" : "runs " + result.runIds());
      } catch (Exception e) {
        LOG.warn("{}: triggered run failed: {}", def.key().label(), e.getMessage());
      } finally {
        running.decrementAndGet();
      }
    });
  }

  /** Triggered runs not finished yet (planning included). */
  public int running() {
    return running.get();
  }

  @Override
  public void close() throws InterruptedException {
    runs.shutdown();
    runs.awaitTermination(30, TimeUnit.SECONDS);
  }
}
