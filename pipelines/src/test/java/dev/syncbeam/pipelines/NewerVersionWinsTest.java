package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 3: the newest version of a record wins whatever order versions arrive in; ties resolve the same way every time. */
@Tag("time-zones")
class NewerVersionWinsTest {
  @TempDir Path root;

  private Object email(SyncHarness h, String id) throws Exception {
    return h.scalar("SELECT _supaglue_raw_data->'properties'->>'email' FROM supaglue.hubspot_contacts WHERE _supaglue_id = ?", id).orElseThrow();
  }

  @Test
  void outOfOrderVersionsInOneBatchLeaveTheNewest() throws Exception {
    SyncHarness h = new SyncHarness("inbatch", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    h.write("contacts", "a.ndjson", ndjson(
        hubspotContact("1", "2024-03-03T00:00:00.000Z", false, "newest@x.io"),
        hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "oldest@x.io"),
        hubspotContact("1", "2024-03-02T00:00:00.000Z", false, "middle@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    assertEquals(1, h.count("SELECT count(*) FROM supaglue.hubspot_contacts"));
    assertEquals("newest@x.io", email(h, "1"));
  }

  @Test
  void anOlderVersionInALaterRunLeavesTheRowAsItIs() throws Exception {
    SyncHarness h = new SyncHarness("acrossruns", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-03T00:00:00.000Z", false, "newest@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    Object firstStamp = h.scalar("SELECT _supaglue_emitted_at FROM supaglue.hubspot_contacts WHERE _supaglue_id = '1'").orElseThrow();

    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-03-01T00:00:00.000Z", true, "stale@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());

    assertEquals("newest@x.io", email(h, "1"));
    assertEquals(java.sql.Timestamp.valueOf("2024-03-03 00:00:00"),
        h.scalar("SELECT _supaglue_last_modified_at FROM supaglue.hubspot_contacts WHERE _supaglue_id = '1'").orElseThrow());
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"),
        "seen by the full refresh, so not swept, and the stale deletion does not apply");
    Object secondStamp = h.scalar("SELECT _supaglue_emitted_at FROM supaglue.hubspot_contacts WHERE _supaglue_id = '1'").orElseThrow();
    assertEquals(firstStamp, secondStamp, "a stale read changes nothing, the run stamp included: the run did not change the row");
  }

  @Test
  void equalTimestampsResolveTheSameWayWhateverTheOrder() throws Exception {
    String a = hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "aaa@x.io");
    String b = hubspotContact("1", "2024-03-01T00:00:00.000Z", false, "bbb@x.io");
    Object[] winners = new Object[4];
    int i = 0;
    for (String[] order : new String[][] {{a, b}, {b, a}}) {
      // in one batch
      SyncHarness one = new SyncHarness("tie_batch", root.resolve("batch" + i));
      SyncDefinition s1 = one.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
      one.write("contacts", "a.ndjson", ndjson(order));
      assertTrue(one.run(false, s1).allSucceeded());
      winners[i] = email(one, "1");
      // across runs
      SyncHarness two = new SyncHarness("tie_runs", root.resolve("runs" + i));
      SyncDefinition s2 = two.sync("hubspot", "acme", "contacts", RunModePolicy.FULL_ONLY);
      two.write("contacts", "a.ndjson", ndjson(order[0]));
      assertTrue(two.run(false, s2).allSucceeded());
      two.write("contacts", "a.ndjson", ndjson(order[1]));
      assertTrue(two.run(false, s2).allSucceeded());
      winners[2 + i] = email(two, "1");
      i++;
    }
    assertEquals(winners[0], winners[1]);
    assertEquals(winners[0], winners[2]);
    assertEquals(winners[0], winners[3]);
  }
}
