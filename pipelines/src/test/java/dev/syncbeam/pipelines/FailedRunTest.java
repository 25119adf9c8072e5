package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 1 and 5 under failure: a failed run deletes nothing, keeps the watermark, says why, and the next run recovers. */
@Tag("time-zones")
class FailedRunTest {
  @TempDir Path root;

  private void firstFullRun(SyncHarness h, SyncDefinition contacts) throws Exception {
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io"),
        hubspotContact("3", "2024-03-01T10:00:00.000Z", false, "c@x.io")));
    assertTrue(h.run(false, contacts).allSucceeded());
    h.clear("contacts");
  }

  @Test
  void unreadableFileFailsOnlyItsSyncMarksNothingDeletedAndNextRunRecovers() throws Exception {
    SyncHarness h = new SyncHarness("unreadable", root);
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    SyncDefinition persons = h.sync("pipedrive", "acme", "persons");
    h.write("persons", "p.json", pipedrivePage(pipedrivePerson(1, "2024-03-01 10:00:00", null)));
    firstFullRun(h, contacts);
    Object watermark = h.watermark(contacts);

    // a full refresh where record 3 is gone, but one "file" cannot be read (a directory named like a page)
    h.write("contacts", "a.json", hubspotPage(hubspotContact("1", "2024-04-01T10:00:00.000Z", false, "a2@x.io")));
    Files.createDirectories(root.resolve("contacts").resolve("b.json"));
    SyncJob.Result result = h.run(true, contacts, persons);

    assertFalse(result.allSucceeded());
    Map<String, Object> failed = h.lastRun(contacts);
    assertEquals("FAILURE", failed.get("status"));
    assertTrue(String.valueOf(failed.get("error")).contains("b.json"), "error names the file: " + failed.get("error"));
    assertEquals("SUCCESS", h.lastRun(persons).get("status"), "other syncs are not held back");
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(watermark, h.watermark(contacts));

    Files.delete(root.resolve("contacts").resolve("b.json"));
    assertTrue(h.run(true, contacts).allSucceeded());
    assertEquals(2, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(java.sql.Timestamp.valueOf("2024-04-01 10:00:00"), h.watermark(contacts));
  }

  @Test
  void databaseConnectionKilledMidwayMarksNothingDeletedKeepsWatermarkAndNextRunRecovers() throws Exception {
    // every replay of the batch meets the poison record again: a short reconnect window gives up sooner
    SyncHarness h = new SyncHarness("connkill", root, java.time.Duration.ofSeconds(3));
    SyncDefinition contacts = h.sync("hubspot", "acme", "contacts");
    firstFullRun(h, contacts);
    Object watermark = h.watermark(contacts);
    // a real connection loss: the server terminates the sink's backend when the poison record arrives
    h.execute("CREATE FUNCTION supaglue.kill_writer() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN IF NEW._supaglue_id = 'poison' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$",
        "CREATE TRIGGER kill_writer BEFORE INSERT ON supaglue.hubspot_contacts FOR EACH ROW EXECUTE FUNCTION supaglue.kill_writer()");
    h.write("contacts", "a.json", hubspotPage(
        hubspotContact("1", "2024-04-01T10:00:00.000Z", false, "a2@x.io"),
        hubspotContact("poison", "2024-04-01T10:00:00.000Z", false, "p@x.io")));

    SyncJob.Result result = h.run(true, contacts);

    assertFalse(result.allSucceeded());
    Map<String, Object> failed = h.lastRun(contacts);
    assertEquals("FAILURE", failed.get("status"));
    assertTrue(String.valueOf(failed.get("error")).contains("hubspot_contacts"), "error: " + failed.get("error"));
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"));
    assertEquals(watermark, h.watermark(contacts));

    h.execute("DROP TRIGGER kill_writer ON supaglue.hubspot_contacts");
    assertTrue(h.run(true, contacts).allSucceeded());
    assertEquals(2, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"), "records 2 and 3 are gone");
    assertEquals(2, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE NOT _supaglue_is_deleted"));
  }
}
