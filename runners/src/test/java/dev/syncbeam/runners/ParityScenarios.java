package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.runners.HubSpotExtract.Rec;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The syncs two runners must land identically: each runs on both destinations, and afterwards the
 * tables, run records and sync state must be the same, and exactly the rows the extract implies.
 * RunnerParityTest runs them on Direct and the embedded Flink cluster, FlinkClusterIT on Direct and
 * a standalone cluster of separate processes.
 */
final class ParityScenarios {
  static final String APP = "parity-app";
  /** Small splits, so a few MB of extract become many splits and every Flink subtask reads and writes. */
  static final String SPLIT = "--extractSplitBytes=" + (192 << 10);
  private static final Instant V1 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant V2 = Instant.parse("2024-06-01T00:00:00Z");

  private ParityScenarios() {}

  /**
   * One pipeline per run over every sync: generated HubSpot companies, contacts and a custom object,
   * plus the recorded Salesforce Account query pages (2,086 accounts) when the fixtures are there.
   * Run 1 is a full refresh; run 2 an incremental run over changed HubSpot data and the same pages.
   */
  static void fullThenIncremental(Path tmp, RunnerDestination a, RunnerDestination b) throws Exception {
    HubSpotExtract v1 = firstExtract();
    HubSpotExtract v2 = changedExtract(v1);
    Path root1 = v1.writeTo(tmp.resolve("v1"));
    Path root2 = v2.writeTo(tmp.resolve("v2"));
    AccountFixture accounts = AccountFixture.copyTo(tmp.resolve("salesforce"));

    // run 1: full refresh
    a.run(accounts.withSync(hubspotSyncs(root1)));
    b.run(accounts.withSync(hubspotSyncs(root1)));
    Map<String, Map<String, Expected>> expected = new TreeMap<>();
    Map<String, Instant> watermark = new TreeMap<>();
    for (String object : OBJECTS.keySet()) {
      expected.put(object, apply(new TreeMap<>(), v1.records(object), null));
      watermark.put(object, v1.records(object).stream().map(Rec::lastModified).max(Instant::compareTo).orElseThrow());
    }
    for (RunnerDestination r : List.of(a, b)) {
      assertLanded(r, expected);
      for (String object : OBJECTS.keySet()) {
        long versions = v1.records(object).size();
        long broken = v1.brokenLines(object);
        assertEquals(List.of("full SUCCESS read=" + (versions + broken) + " written=" + versions + " deleted=0 skipped=0 dead=" + broken),
            r.runSummaries(object), r.name + " " + object + " runs after the full refresh");
      }
      accounts.assertLanded(r, "full SUCCESS read=2086 written=2086 deleted=0 skipped=0 dead=0");
    }
    assertSameDestination(a, b);

    // run 2: incremental over changed data (updates, new records, archives, an unarchive, records gone from the extract)
    a.run(accounts.withSync(hubspotSyncs(root2)));
    b.run(accounts.withSync(hubspotSyncs(root2)));
    Map<String, Long> written2 = new TreeMap<>();
    for (String object : OBJECTS.keySet()) {
      Instant readFrom = watermark.get(object).minus(RunModePolicy.WATERMARK_OVERLAP);
      List<Rec> read = v2.records(object).stream().filter(r -> !r.lastModified().isBefore(readFrom)).toList();
      written2.put(object, (long) read.size());
      apply(expected.get(object), read, readFrom);
      assertTrue(read.size() < v2.records(object).size() / 4, object + ": the incremental run must skip most records");
    }
    for (RunnerDestination r : List.of(a, b)) {
      assertLanded(r, expected);
      for (String object : OBJECTS.keySet()) {
        long versions = v2.records(object).size();
        long broken = v2.brokenLines(object);
        long written = written2.get(object);
        assertEquals("incremental SUCCESS read=" + (versions + broken) + " written=" + written + " deleted=0 skipped="
                + (versions - written) + " dead=" + broken,
            r.runSummaries(object).get(1), r.name + " " + object + " incremental run");
      }
      // the same pages again: all read, only what the watermark overlap lets through written
      accounts.assertLanded(r, "incremental SUCCESS read=2086 ");
    }
    assertSameDestination(a, b);
    System.out.printf("runner parity (hubspot %d + %d record versions%s): %s%n",
        OBJECTS.keySet().stream().mapToLong(o -> v1.records(o).size()).sum(),
        OBJECTS.keySet().stream().mapToLong(o -> v2.records(o).size()).sum(),
        accounts.present() ? ", salesforce Account fixture 2,086 x 2" : "", a.timings() + "; " + b.timings());
  }

  /** The recorded Salesforce Account query pages, if the fixtures are there (a plain clone has none: the runs then leave them out). */
  record AccountFixture(Path root, Map<String, Boolean> deletedById) {
    private static final List<String> PAGES = List.of(
        "query_account_v59_page1_of2_2000rec_nextRecordsUrl.json", "query_account_v59_page2_of2_86rec_done.json");

    static AccountFixture copyTo(Path root) throws IOException {
      String fixtures = System.getProperty("syncbeam.fixtures");
      Path dir = fixtures == null ? null : Path.of(fixtures, "salesforce");
      if (dir == null || PAGES.stream().anyMatch(p -> !Files.isRegularFile(dir.resolve(p)))) {
        System.out.println("real provider fixtures not found (system property syncbeam.fixtures=" + fixtures
            + "); the parity runs leave out the Salesforce Account fixture");
        return new AccountFixture(null, Map.of());
      }
      Path account = Files.createDirectories(root.resolve("Account"));
      Map<String, Boolean> ids = new TreeMap<>();
      ObjectMapper json = new ObjectMapper();
      for (String page : PAGES) {
        Files.copy(dir.resolve(page), account.resolve(page));
        for (JsonNode r : json.readTree(dir.resolve(page).toFile()).get("records")) ids.put(r.get("Id").asText(), r.path("IsDeleted").asBoolean(false));
      }
      assertEquals(2086, ids.size(), "the fixture's two pages hold 2,086 distinct accounts");
      return new AccountFixture(root, ids);
    }

    boolean present() {
      return root != null;
    }

    List<SyncDefinition> withSync(List<SyncDefinition> others) {
      if (!present()) return others;
      List<SyncDefinition> all = new ArrayList<>(others);
      all.add(new SyncDefinition(new SyncKey(APP, "salesforce", "fixture", "Account"),
          root.toString(), ObjectTables.standardTableName("salesforce", "Account"), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0));
      return all;
    }

    /** Every account landed once, deleted as the pages say, and the latest run's summary starts with {@code lastRun}. */
    void assertLanded(RunnerDestination r, String lastRun) throws SQLException {
      if (!present()) return;
      long deleted = deletedById.values().stream().filter(d -> d).count();
      assertEquals(List.of(deletedById.size() + " rows, " + deleted + " deleted"), r.rowCounts("salesforce_account"), r.name);
      List<String> runs = r.runSummaries("Account");
      assertTrue(runs.get(runs.size() - 1).startsWith(lastRun), r.name + " Account runs: " + runs);
    }
  }

  // ---------------------------------------------------------------- the generated HubSpot extract

  /** object → destination table; p_invoices is a HubSpot custom object type, so it lands in custom_objects. */
  static final Map<String, String> OBJECTS = Map.of(
      "companies", "hubspot_companies", "contacts", "hubspot_contacts", "p_invoices", ObjectTables.CUSTOM_OBJECTS);

  static List<SyncDefinition> hubspotSyncs(Path root) {
    return hubspotSyncs(root.toString());
  }

  /** The syncs of the generated extract under {@code root}: a local folder or a file-system URI. */
  static List<SyncDefinition> hubspotSyncs(String root) {
    List<SyncDefinition> out = new ArrayList<>();
    for (String object : new TreeMap<>(OBJECTS).keySet()) {
      SyncKey key = new SyncKey(APP, "hubspot", "acme", object);
      String table = ObjectTables.standardTableName("hubspot", object);
      out.add(OBJECTS.get(object).equals(ObjectTables.CUSTOM_OBJECTS)
          ? new SyncDefinition(key, root, ObjectTables.CUSTOM_OBJECTS, table, RunModePolicy.FULL_THEN_INCREMENTAL, 0)
          : new SyncDefinition(key, root, table, null, RunModePolicy.FULL_THEN_INCREMENTAL, 0));
    }
    return out;
  }

  private static Rec company(int i, Instant base, String suffix, boolean archived) {
    Instant updated = base.plus(Duration.ofMinutes(i));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("name", "Company " + i + suffix);
    p.put("domain", "c" + i + ".example.com");
    p.put("industry", i % 3 == 0 ? "COMPUTER_SOFTWARE" : "RETAIL");
    p.put("numberofemployees", Integer.toString(i % 500));
    p.put("city", i % 5 == 0 ? "Zürich\t\"HQ\"\\ \u00e9\u4e2d" : "Springfield"); // COPY escaping and UTF-8
    return new Rec(Integer.toString(i), V1.plus(Duration.ofMinutes(i)), updated, archived, archived ? updated.plusSeconds(30) : null, p);
  }

  private static Rec contact(int i, Instant base, String suffix, boolean archived) {
    Instant updated = base.plus(Duration.ofMinutes(i)).plusSeconds(7);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("firstname", "First" + i + suffix);
    p.put("lastname", "Last" + i);
    p.put("email", "person" + i + "@example.com");
    p.put("lifecyclestage", i % 4 == 0 ? "customer" : "lead");
    return new Rec(Integer.toString(i), V1.plus(Duration.ofMinutes(i)), updated, archived, archived ? updated.plusSeconds(30) : null, p);
  }

  private static Rec invoice(int i, Instant base, String suffix) {
    return new Rec(Integer.toString(i), V1, base.plus(Duration.ofMinutes(i)), false, null,
        Map.of("amount", Integer.toString(i * 10), "note", "invoice " + i + suffix));
  }

  /**
   * 3,002 company versions in six list pages, 2,702 contact versions in three NDJSON files (plus a
   * line that is not JSON), 300 invoices in one page. Duplicates across files: company 7 (newer
   * version in the last file), company 2999 (stale version in the first file), contact 1500 (newer
   * version in the first file) and contact 42 (two versions with the same timestamp: the tie rule decides).
   */
  static HubSpotExtract firstExtract() {
    HubSpotExtract x = new HubSpotExtract();
    for (int page = 0; page < 6; page++) {
      List<Rec> recs = new ArrayList<>();
      for (int i = page * 500 + 1; i <= (page + 1) * 500; i++) recs.add(company(i, V1, "", i % 23 == 0));
      if (page == 0) recs.add(company(2999, V1.minus(Duration.ofDays(30)), " (stale)", false));
      if (page == 5) recs.add(company(7, V1.plus(Duration.ofDays(10)), " (newer)", false));
      x.add("companies", String.format("page-%03d.json", page + 1), recs);
    }
    for (int file = 0; file < 3; file++) {
      List<Rec> recs = new ArrayList<>();
      for (int i = file * 900 + 1; i <= (file + 1) * 900; i++) recs.add(contact(i, V1, "", i % 31 == 0));
      if (file == 0) recs.add(contact(1500, V1.plus(Duration.ofDays(3)), " (newer)", false));
      if (file == 2) recs.add(contact(42, V1, " (same timestamp, other content)", false));
      x.add("contacts", "contacts-" + (file + 1) + ".ndjson", recs, file == 1 ? List.of("{\"properties\": {\"email\": \"no-id@example.com\"}, \"archived\": false}") : List.of());
    }
    List<Rec> invoices = new ArrayList<>();
    for (int i = 1; i <= 300; i++) invoices.add(invoice(i, V1, ""));
    x.add("p_invoices", "invoices.json", invoices);
    return x;
  }

  /**
   * The same objects a quarter later: every 15th company updated, every 97th archived, companies
   * 2001–2010 gone from the extract (an incremental run must leave them alone), 100 new ones;
   * every 20th contact updated, contact 31 unarchived; invoices unchanged. Unchanged records keep
   * their old timestamps, so the incremental run skips them.
   */
  private static HubSpotExtract changedExtract(HubSpotExtract v1) {
    HubSpotExtract x = new HubSpotExtract();
    List<Rec> companies = new ArrayList<>();
    for (int i = 1; i <= 3100; i++) {
      if (i > 2000 && i <= 2010) continue;
      if (i > 3000 || i % 15 == 0) companies.add(company(i, V2, " v2", i % 97 == 0));
      else if (i % 97 == 0) companies.add(company(i, V2, "", true));
      else companies.add(company(i, V1, "", i % 23 == 0));
    }
    for (int f = 0; f < 4; f++) x.add("companies", "companies-" + f + ".ndjson", companies.subList(f * companies.size() / 4, (f + 1) * companies.size() / 4));
    List<Rec> contacts = new ArrayList<>();
    for (int i = 1; i <= 2700; i++) {
      contacts.add(i % 20 == 0 || i == 31 ? contact(i, V2, " v2", false) : contact(i, V1, "", i % 31 == 0));
    }
    x.add("contacts", "page-1.json", contacts.subList(0, 1350));
    x.add("contacts", "page-2.json", contacts.subList(1350, 2700));
    x.add("p_invoices", "invoices.json", v1.records("p_invoices"));
    return x;
  }

  /** What the destination holds for a record: its last modification and deleted flag. */
  record Expected(long lastModifiedMillis, boolean deleted) {}

  /** Newer-wins over record versions (those before {@code readFrom} are skipped, as an incremental run does). */
  private static Map<String, Expected> apply(Map<String, Expected> state, List<Rec> versions, Instant readFrom) {
    for (Rec r : versions) {
      if (readFrom != null && r.lastModified().isBefore(readFrom)) continue;
      Expected e = new Expected(r.lastModified().toEpochMilli(), r.archived());
      state.merge(r.id(), e, (old, neu) -> neu.lastModifiedMillis() >= old.lastModifiedMillis() ? neu : old);
    }
    return state;
  }

  private static void assertLanded(RunnerDestination r, Map<String, Map<String, Expected>> expected) throws SQLException {
    for (Map.Entry<String, Map<String, Expected>> e : expected.entrySet()) {
      String object = e.getKey();
      assertEquals(e.getValue(), r.landed(OBJECTS.get(object), ObjectTables.standardTableName("hubspot", object)), r.name + ": rows of " + object);
    }
  }

  // ---------------------------------------------------------------- comparing two destinations

  static void assertSameDestination(RunnerDestination a, RunnerDestination b) throws SQLException {
    List<String> tables = a.objectTables();
    assertEquals(tables, b.objectTables(), "object tables");
    assertTrue(!tables.isEmpty());
    for (String tableAndDeleted : tables) {
      String table = tableAndDeleted.split(" ")[0];
      assertEquals(a.rowCounts(tableAndDeleted), b.rowCounts(tableAndDeleted), "row and deleted counts of " + table);
      assertEquals(a.rowsPerRun(table), b.rowsPerRun(table), "rows stamped by each run in " + table);
      List<String> rowsA = a.rows(table);
      List<String> rowsB = b.rows(table);
      assertEquals(rowsA.size(), rowsB.size(), "rows in " + table);
      for (int i = 0; i < rowsA.size(); i++) {
        assertEquals(rowsA.get(i), rowsB.get(i), table + ": row " + i + " differs between " + a.name + " and " + b.name);
      }
    }
    for (String query : BOOKKEEPING) {
      assertEquals(a.query(query), b.query(query), "bookkeeping differs between " + a.name + " and " + b.name + ": " + query);
    }
  }

  private static final List<String> BOOKKEEPING = List.of(
      "SELECT object_name, strategy, status, records_read, records_written, records_deleted, records_skipped, dead_letters,"
          + " coerced, watermark_after, error, notes FROM supaglue._syncbeam_sync_runs ORDER BY object_name, run_id",
      "SELECT object_name, strategy, phase, watermark, paused, force_full, incrementals_since_full"
          + " FROM supaglue._syncbeam_sync_state ORDER BY object_name",
      "SELECT run_id, object_name, record_id, error, payload FROM supaglue._syncbeam_dead_letters ORDER BY run_id, error");
}
