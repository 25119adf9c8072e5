package dev.syncbeam.pipelines.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncbeam.pipelines.serve.ServeFixture.Answer;
import dev.syncbeam.sandbox.api.Deletion;
import dev.syncbeam.sandbox.api.SandboxConfig;
import dev.syncbeam.sandbox.api.SandboxServer;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.Providers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 200 concurrent cached writes per provider (4 threads x 50 contacts, the three providers at once):
 * every one lands exactly once at the emulator and in both tables; prints the latency percentiles.
 */
class CrmWritesLoadTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 50;
  private static final List<String> PROVIDERS = List.of("salesforce", "hubspot", "pipedrive");

  @Test
  void concurrentWritesLandExactlyOnceEverywhere() throws Exception {
    try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withCustomers(List.of("acme")).withRecordsPerObject(5));
         ServeFixture serve = new ServeFixture("serve_load", sandbox, PROVIDERS.stream()
             .map(p -> ServeFixture.entry(sandbox, "acme", p, "contacts")).toList(), null)) {
      // one write each first, so the tables exist and the clients are warm before timing starts
      for (String p : PROVIDERS) assertEquals(201, serve.call("POST", "/crm/v2/contacts", body("warm", 0, 0), "acme", p).status());
      long[] before = new long[PROVIDERS.size()];
      for (int i = 0; i < PROVIDERS.size(); i++) before[i] = emulatorCount(sandbox, PROVIDERS.get(i));

      ExecutorService pool = Executors.newFixedThreadPool(THREADS * PROVIDERS.size());
      List<Future<List<Long>>> work = new ArrayList<>();
      for (String provider : PROVIDERS) {
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          work.add(pool.submit(() -> {
            List<Long> out = new ArrayList<>();
            for (int n = 0; n < PER_THREAD; n++) {
              long start = System.nanoTime();
              Answer a = serve.call("POST", "/crm/v2/contacts", body(provider, thread, n), "acme", provider);
              long took = System.nanoTime() - start;
              if (a.status() != 201 || a.body().has("warnings")) throw new AssertionError(provider + ": " + a.status() + " " + a.body());
              out.add(took);
            }
            return out;
          }));
        }
      }
      List<Long> latencies = new ArrayList<>();
      for (Future<List<Long>> f : work) latencies.addAll(f.get());
      pool.shutdown();

      int expected = THREADS * PER_THREAD;
      for (int i = 0; i < PROVIDERS.size(); i++) {
        String provider = PROVIDERS.get(i);
        assertEquals(before[i] + expected, emulatorCount(sandbox, provider), provider + ": one record per write at the emulator");
        List<String> names = serve.rows("SELECT last_name FROM supaglue.crm_contacts WHERE _supaglue_provider_name = ? AND last_name LIKE ?",
            provider, provider + "-%").stream().map(r -> (String) r.get("last_name")).toList();
        assertEquals(expected, names.size(), provider + ": one crm_contacts row per write");
        assertEquals(expected, new HashSet<>(names).size(), provider + ": no write landed twice");
        String raw = Providers.get(provider).commonObjects().providerObject(CommonObject.CONTACTS);
        assertEquals(String.valueOf(expected + 1), serve.rows("SELECT count(*) AS n FROM supaglue."
            + ObjectTables.standardTableName(provider, raw) + " WHERE _supaglue_customer_id = 'acme'").get(0).get("n"),
            provider + ": one raw row per write (and the warm-up)");
      }
      Collections.sort(latencies);
      System.out.printf(Locale.ROOT, "serve load: %d cached writes, %d threads: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", latencies.size(),
          THREADS * PROVIDERS.size(), percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1) / 1e6);
    }
  }

  private static String body(String provider, int thread, int n) {
    return "{\"record\":{\"first_name\":\"Load\",\"last_name\":\"" + provider + "-" + thread + "-" + n + "\"}}";
  }

  private static long emulatorCount(SandboxServer sandbox, String provider) {
    return sandbox.dataset().count("acme", provider, Providers.get(provider).commonObjects().providerObject(CommonObject.CONTACTS), Deletion.ANY);
  }

  private static double percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }
}
