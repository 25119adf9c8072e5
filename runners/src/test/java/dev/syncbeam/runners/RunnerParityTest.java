package dev.syncbeam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.SyncJob;
import dev.syncbeam.runners.HubSpotExtract.Rec;
import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.run.RunModePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner parity (issue 2, item 7): the same syncs run on the Direct runner and on an embedded Flink
 * cluster with parallelism 2, each into its own fresh database on real PostgreSQL, must leave
 * identical tables, run records and sync state — and exactly the rows the extract implies.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunnerParityTest {
  private static final String SCHEMA = "supaglue";
  private static final String APP = "parity-app";
  /** Small splits, so a few MB of extract become many splits and both Flink subtasks read and write. */
  private static final String SPLIT = "--extractSplitBytes=" + (192 << 10);
  private static final String[] DIRECT = {SPLIT};
  private static final String[] FLINK = {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2", SPLIT};
  private static final Instant V1 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant V2 = Instant.parse("2024-06-01T00:00:00Z");

  @Test
  void hubspotFullThenIncrementalLandsTheSameOnDirectAndFlink(@TempDir Path tmp) throws Exception {
    HubSpotExtract v1 = firstExtract();
    HubSpotExtract v2 = changedExtract(v1);
    Path root1 = v1.writeTo(tmp.resolve("v1"));
    Path root2 = v2.writeTo(tmp.resolve("v2"));
    Runner direct = new Runner("Direct", DIRECT);
    Runner flink = new Runner("Flink", FLINK);

    // run 1: full refresh
    direct.run(hubspotSyncs(root1));
    flink.run(hubspotSyncs(root1));
    Map<String, Map<String, Expected>> expected = new TreeMap<>();
    Map<String, Instant> watermark = new TreeMap<>();
    for (String object : OBJECTS.keySet()) {
      expected.put(object, apply(new TreeMap<>(), v1.records(object), null));
      watermark.put(object, v1.records(object).stream().map(Rec::lastModified).max(Instant::compareTo).orElseThrow());
    }
    for (Runner r : List.of(direct, flink)) {
      assertLanded(r, expected);
      for (String object : OBJECTS.keySet()) {
        long versions = v1.records(object).size();
        long broken = v1.brokenLines(object);
        assertEquals(List.of("full SUCCESS read=" + (versions + broken) + " written=" + versions + " deleted=0 skipped=0 dead=" + broken),
            r.runSummaries(object), r.name + " " + object + " runs after the full refresh");
      }
    }
    assertSameDestination(direct, flink);

    // run 2: incremental over changed data (updates, new records, archives, an unarchive, records gone from the extract)
    direct.run(hubspotSyncs(root2));
    flink.run(hubspotSyncs(root2));
    Map<String, Long> written2 = new TreeMap<>();
    for (String object : OBJECTS.keySet()) {
      Instant readFrom = watermark.get(object).minus(RunModePolicy.WATERMARK_OVERLAP);
      List<Rec> read = v2.records(object).stream().filter(r -> !r.lastModified().isBefore(readFrom)).toList();
      written2.put(object, (long) read.size());
      apply(expected.get(object), read, readFrom);
      assertTrue(read.size() < v2.records(object).size() / 4, object + ": the incremental run must skip most records");
    }
    for (Runner r : List.of(direct, flink)) {
      assertLanded(r, expected);
      for (String object : OBJECTS.keySet()) {
        long versions = v2.records(object).size();
        long broken = v2.brokenLines(object);
        long written = written2.get(object);
        assertEquals("incremental SUCCESS read=" + (versions + broken) + " written=" + written + " deleted=0 skipped="
                + (versions - written) + " dead=" + broken,
            r.runSummaries(object).get(1), r.name + " " + object + " incremental run");
      }
    }
    assertSameDestination(direct, flink);
    System.out.printf("runner parity (hubspot, %d + %d record versions): %s%n",
        OBJECTS.keySet().stream().mapToLong(o -> v1.records(o).size()).sum(),
        OBJECTS.keySet().stream().mapToLong(o -> v2.records(o).size()).sum(),
        direct.timings() + "; " + flink.timings());
  }

  @Test
  void salesforceAccountFixtureLandsTheSameOnDirectAndFlink(@TempDir Path tmp) throws Exception {
    String fixtures = System.getProperty("syncbeam.fixtures");
    Path dir = fixtures == null ? null : Path.of(fixtures, "salesforce");
    Assumptions.assumeTrue(dir != null && Files.isDirectory(dir),
        "real provider fixtures not found (system property syncbeam.fixtures=" + fixtures + "); skipping the fixture parity run");
    Path account = Files.createDirectories(tmp.resolve("extract").resolve("Account"));
    List<String> pages = List.of("query_account_v59_page1_of2_2000rec_nextRecordsUrl.json", "query_account_v59_page2_of2_86rec_done.json");
    Map<String, Boolean> ids = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String page : pages) {
      Path from = dir.resolve(page);
      Assumptions.assumeTrue(Files.isRegularFile(from), "fixture " + from + " is missing; skipping the fixture parity run");
      Files.copy(from, account.resolve(page));
      for (JsonNode r : json.readTree(from.toFile()).get("records")) ids.put(r.get("Id").asText(), r.path("IsDeleted").asBoolean(false));
    }
    List<SyncDefinition> syncs = List.of(new SyncDefinition(new SyncKey(APP, "salesforce", "fixture", "Account"),
        tmp.resolve("extract"), ObjectTables.standardTableName("salesforce", "Account"), null, RunModePolicy.FULL_THEN_INCREMENTAL, 0));
    Runner direct = new Runner("Direct", DIRECT);
    Runner flink = new Runner("Flink", FLINK);
    direct.run(syncs);
    flink.run(syncs);
    long deleted = ids.values().stream().filter(d -> d).count();
    for (Runner r : List.of(direct, flink)) {
      assertEquals(List.of(ids.size() + " rows, " + deleted + " deleted"), r.rowCounts("salesforce_account"), r.name);
      assertEquals(List.of("full SUCCESS read=2086 written=2086 deleted=0 skipped=0 dead=0"), r.runSummaries("Account"), r.name);
    }
    assertEquals(2086, ids.size(), "the fixture's two pages hold 2,086 distinct accounts");
    assertSameDestination(direct, flink);
    System.out.println("runner parity (salesforce Account fixture, 2,086 records): " + direct.timings() + "; " + flink.timings());
  }

  // ---------------------------------------------------------------- the generated HubSpot extract

  /** object → destination table; p_invoices is a HubSpot custom object type, so it lands in custom_objects. */
  private static final Map<String, String> OBJECTS = Map.of(
      "companies", "hubspot_companies", "contacts", "hubspot_contacts", "p_invoices", ObjectTables.CUSTOM_OBJECTS);

  private static List<SyncDefinition> hubspotSyncs(Path root) {
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
  private static HubSpotExtract firstExtract() {
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

  private static void assertLanded(Runner r, Map<String, Map<String, Expected>> expected) throws SQLException {
    for (Map.Entry<String, Map<String, Expected>> e : expected.entrySet()) {
      assertEquals(e.getValue(), r.landed(e.getKey()), r.name + ": rows of " + e.getKey());
    }
  }

  // ---------------------------------------------------------------- comparing two destinations

  private static void assertSameDestination(Runner a, Runner b) throws SQLException {
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

  /** One runner's destination: a fresh database on the shared embedded PostgreSQL. */
  private static final class Runner {
    final String name;
    final String[] beamArgs;
    final String url;
    final List<String> timings = new ArrayList<>();

    Runner(String name, String[] beamArgs) {
      this.name = name;
      this.beamArgs = beamArgs;
      this.url = SharedTestPostgres.freshDatabase("parity_" + name);
    }

    void run(List<SyncDefinition> syncs) throws SQLException {
      long start = System.nanoTime();
      SyncJob.Result result = new SyncJob(PostgresDestination.of(url, "postgres", "postgres", SCHEMA), System.out)
          .run(syncs, false, beamArgs.clone());
      long ms = (System.nanoTime() - start) / 1_000_000;
      timings.add(ms + " ms");
      System.out.printf("%s run of %d sync(s) took %,d ms%n", name, syncs.size(), ms);
      assertTrue(result.allSucceeded(), name + ": runs " + result.runIds() + " did not all succeed");
    }

    String timings() {
      return name + " " + String.join(" / ", timings);
    }

    List<String> query(String sql) throws SQLException {
      List<String> out = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= n; i++) row.append(i > 1 ? " | " : "").append(rs.getString(i));
          out.add(row.toString());
        }
      }
      return out;
    }

    /** The record tables (standard, custom and crm_* common-object tables), as "table deletedColumn". */
    List<String> objectTables() throws SQLException {
      return query("SELECT table_name || ' ' || column_name FROM information_schema.columns WHERE table_schema = '" + SCHEMA
          + "' AND column_name IN ('_supaglue_is_deleted', 'is_deleted') ORDER BY table_name");
    }

    /** Every column but the per-run {@code _supaglue_emitted_at}, as one JSON text per row, in a stable order. */
    List<String> rows(String table) throws SQLException {
      return query("SELECT (to_jsonb(t) - '_supaglue_emitted_at')::text FROM " + SCHEMA + "." + table + " t ORDER BY 1");
    }

    /** "N rows, M deleted" of "table deletedColumn" (the deleted column defaults to the raw tables' one). */
    List<String> rowCounts(String tableAndDeleted) throws SQLException {
      String[] t = (tableAndDeleted + " _supaglue_is_deleted").split(" ");
      return query("SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE " + t[1] + ") || ' deleted' FROM " + SCHEMA + "." + t[0]);
    }

    /** How many rows each run stamped as seen: emitted-at values differ by runner, which run stamped a row must not. */
    List<String> rowsPerRun(String table) throws SQLException {
      return query("SELECT run, count(*) FROM (SELECT dense_rank() OVER (ORDER BY _supaglue_emitted_at) AS run FROM "
          + SCHEMA + "." + table + ") x GROUP BY run ORDER BY run");
    }

    List<String> runSummaries(String object) throws SQLException {
      return query("SELECT strategy || ' ' || status || ' read=' || records_read || ' written=' || records_written"
          + " || ' deleted=' || records_deleted || ' skipped=' || records_skipped || ' dead=' || dead_letters"
          + " FROM " + SCHEMA + "._syncbeam_sync_runs WHERE object_name = '" + object + "' ORDER BY run_id");
    }

    /** id → (last modified, deleted) of one HubSpot object's rows. */
    Map<String, Expected> landed(String object) throws SQLException {
      String table = OBJECTS.get(object);
      String scope = table.equals(ObjectTables.CUSTOM_OBJECTS)
          ? " WHERE _supaglue_object_name = '" + ObjectTables.standardTableName("hubspot", object) + "'" : "";
      Map<String, Expected> out = new TreeMap<>();
      try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT _supaglue_id, (extract(epoch FROM _supaglue_last_modified_at) * 1000)::bigint,"
               + " _supaglue_is_deleted FROM " + SCHEMA + "." + table + scope)) {
        while (rs.next()) {
          if (out.put(rs.getString(1), new Expected(rs.getLong(2), rs.getBoolean(3))) != null) {
            throw new AssertionError(name + ": id " + rs.getString(1) + " landed twice in " + table);
          }
        }
      }
      return out;
    }
  }
}
