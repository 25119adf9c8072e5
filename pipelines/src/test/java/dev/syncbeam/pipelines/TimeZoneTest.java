package dev.syncbeam.pipelines;

import static dev.syncbeam.pipelines.Pages.hubspotContact;
import static dev.syncbeam.pipelines.Pages.hubspotPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TimeZone;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timestamps are UTC whatever the JVM's zone. The build runs this class (and the other "time-zones"
 * tests) again under America/Los_Angeles and Europe/Berlin; the times below fall in the DST gap of
 * one zone or the other (02:00-03:00 local on the day clocks spring forward), where a UTC time
 * taken for local time does not exist and moves an hour.
 */
@Tag("time-zones")
class TimeZoneTest {
  /** The spring-forward gaps of the two zones, as UTC wall-clock times. */
  static final String LOS_ANGELES_GAP = "2024-03-10T02:10:00.000Z";
  static final String BERLIN_GAP = "2024-03-31T02:10:00.000Z";

  @TempDir Path root;

  @Test
  void watermarksInsideADaylightSavingGapStayPutAndTheNextChangeLands() throws Exception {
    System.out.println("JVM time zone: " + TimeZone.getDefault().getID());
    SyncHarness h = new SyncHarness("dst", root);
    SyncDefinition la = h.sync(root.resolve("la"), "hubspot", "la", "contacts", RunModePolicy.FULL_THEN_INCREMENTAL);
    SyncDefinition berlin = h.sync(root.resolve("berlin"), "hubspot", "berlin", "contacts", RunModePolicy.FULL_THEN_INCREMENTAL);
    write(h, "la", hubspotPage(hubspotContact("1", LOS_ANGELES_GAP, false, "la@x.io")));
    write(h, "berlin", hubspotPage(hubspotContact("1", BERLIN_GAP, false, "berlin@x.io")));
    assertTrue(h.run(false, la, berlin).allSucceeded());

    assertEquals("2024-03-10 02:10:00", h.scalar("SELECT watermark::text FROM supaglue._syncbeam_sync_state WHERE customer_id = 'la'").orElseThrow());
    assertEquals("2024-03-31 02:10:00", h.scalar("SELECT watermark::text FROM supaglue._syncbeam_sync_state WHERE customer_id = 'berlin'").orElseThrow());

    // two minutes later, still inside the gap: an hour's shift would put it before the next read's start
    write(h, "la", hubspotPage(hubspotContact("1", "2024-03-10T02:12:00.000Z", false, "la2@x.io")));
    write(h, "berlin", hubspotPage(hubspotContact("1", "2024-03-31T02:12:00.000Z", false, "berlin2@x.io")));
    assertTrue(h.run(false, la, berlin).allSucceeded());
    assertEquals("incremental", h.lastRun(la).get("strategy"));
    assertEquals(1L, h.lastRun(la).get("records_written"));
    assertEquals(1L, h.lastRun(berlin).get("records_written"));
    assertEquals(2, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_raw_data->'properties'->>'email' LIKE '%2@x.io'"));
  }

  @Test
  void aFullRefreshWhoseRunFallsInADaylightSavingGapSweepsNoLiveRow() throws Exception {
    SyncHarness h = new SyncHarness("dstsweep", root);
    SyncDefinition la = h.sync(root.resolve("la"), "hubspot", "la", "contacts", RunModePolicy.FULL_ONLY);
    SyncDefinition berlin = h.sync(root.resolve("berlin"), "hubspot", "berlin", "contacts", RunModePolicy.FULL_ONLY);
    write(h, "la", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    write(h, "berlin", hubspotPage(hubspotContact("1", "2024-03-01T10:00:00.000Z", false, "a@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    assertTrue(h.run(false, la, berlin).allSucceeded());
    // the next run's stamp is one millisecond after the last one: put each inside its zone's next gap
    h.execute("UPDATE supaglue._syncbeam_sync_state SET last_emitted_at = '2027-03-14 02:29:59.999' WHERE customer_id = 'la'",
        "UPDATE supaglue._syncbeam_sync_state SET last_emitted_at = '2027-03-28 02:29:59.999' WHERE customer_id = 'berlin'");
    // record 1 changes, so its row carries the second run's stamp; record 2 is unchanged and only seen
    write(h, "la", hubspotPage(hubspotContact("1", "2024-03-02T10:00:00.000Z", false, "a2@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));
    write(h, "berlin", hubspotPage(hubspotContact("1", "2024-03-02T10:00:00.000Z", false, "a2@x.io"),
        hubspotContact("2", "2024-03-01T10:00:00.000Z", false, "b@x.io")));

    assertTrue(h.run(false, la, berlin).allSucceeded());

    assertEquals("2027-03-14 02:30:00", h.scalar("SELECT max(_supaglue_emitted_at)::text FROM supaglue.hubspot_contacts"
        + " WHERE _supaglue_customer_id = 'la'").orElseThrow());
    assertEquals(0, h.count("SELECT count(*) FROM supaglue.hubspot_contacts WHERE _supaglue_is_deleted"),
        "every record was read, changed or not: none may be swept");
  }

  private static void write(SyncHarness h, String customer, String page) throws Exception {
    Path dir = h.root.resolve(customer).resolve("contacts");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.json"), page);
  }
}
