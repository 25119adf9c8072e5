package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.hubspotContact;
import static dev.syncbeam.pipelines.Pages.hubspotPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many worker threads share a bounded number of destination connections: each thread has its own
 * sink, dead-letter writer and run finisher, and each of those held a connection of its own.
 */
class ConnectionBoundTest {
  @TempDir Path root;

  @Test
  void sixteenWorkersOnTwentySyncsStayWithinTheConnectionBound() throws Exception {
    SyncHarness h = new SyncHarness("connection_bound", root);
    List<String> records = new ArrayList<>();
    for (int i = 1; i <= 200; i++) records.add(hubspotContact(Integer.toString(i), "2024-03-01T00:00:00.000Z", false, i + "@x.io"));
    h.write("contacts", "a.json", hubspotPage(records.toArray(new String[0])));
    List<SyncDefinition> syncs = new ArrayList<>();
    for (int c = 0; c < 20; c++) syncs.add(h.sync("hubspot", "customer" + c, "contacts"));

    AtomicLong most = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      try (Connection c = h.connect(); Statement st = c.createStatement()) {
        c.setAutoCommit(true);
        while (running.get()) {
          try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND application_name = 'syncbeam'")) {
            rs.next();
            most.accumulateAndGet(rs.getLong(1), Math::max);
          }
          Thread.sleep(10);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    sampler.start();
    SyncJob.Result result;
    try {
      result = h.runWith(List.of("--targetParallelism=16", "--destinationConnections=2"), false,
          syncs.toArray(new SyncDefinition[0]));
    } finally {
      running.set(false);
      sampler.join();
    }
    assertTrue(result.allSucceeded());
    assertEquals(20 * 200, h.count("SELECT count(*) FROM supaglue.hubspot_contacts"));
    // two for the batches, two for bookkeeping; the driver's planning connection and its sync locks
    assertTrue(most.get() <= 6, "at most 6 connections at once, saw " + most.get());
  }
}
