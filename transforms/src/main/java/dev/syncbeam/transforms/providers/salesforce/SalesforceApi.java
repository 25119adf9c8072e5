package dev.syncbeam.transforms.providers.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.transforms.extract.BulkCsv;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.model.ApiReadTask;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.ProviderApi;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.ApiException;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Salesforce REST and Bulk API 2.0 (v59.0). Every read is a queryAll, so deleted rows come back
 * with {@code IsDeleted = true}. Objects above {@code bulkThreshold} records are read through Bulk
 * queryAll jobs; above {@code recordsPerRange} they are split into Id ranges, one Bulk job per
 * range, so a cluster reads one large object on several workers.
 */
public final class SalesforceApi implements ProviderApi<SalesforceApi.SalesforceRead> {
  /** The REST API version SyncBeam speaks. */
  public static final String DATA = "/services/data/v59.0";
  public static final long DEFAULT_BULK_THRESHOLD = 50_000;
  /** A task is read in one DoFn call, which the Direct runner holds in memory until it ends: keep tasks modest. */
  public static final long DEFAULT_RECORDS_PER_RANGE = 250_000;
  public static final int DEFAULT_BULK_CHUNK_RECORDS = 10_000;
  private static final int MAX_RANGES = 64;
  private static final int SAMPLES_PER_RANGE = 100;
  private static final long MAX_POLL_MILLIS = 10_000;
  private static final long JOB_DEADLINE_MILLIS = 6 * 3600_000L;
  private static final Set<String> COMPOUND_TYPES = Set.of("address", "location");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API_NAME = Pattern.compile("[A-Za-z0-9_]+");

  private final long bulkThreshold;
  private final long recordsPerRange;
  private final int bulkChunkRecords;

  public SalesforceApi() {
    this(DEFAULT_BULK_THRESHOLD, DEFAULT_RECORDS_PER_RANGE, DEFAULT_BULK_CHUNK_RECORDS);
  }

  /** Thresholds are parameters so tests can force the Bulk and Id-range paths with a handful of records. */
  public SalesforceApi(long bulkThreshold, long recordsPerRange, int bulkChunkRecords) {
    this.bulkThreshold = bulkThreshold;
    this.recordsPerRange = recordsPerRange;
    this.bulkChunkRecords = bulkChunkRecords;
  }

  /** A Salesforce read: one SOQL query, through REST queryAll pages or one Bulk 2.0 queryAll job. */
  public sealed interface SalesforceRead extends ApiReadTask {
    String soql();
  }

  /** REST queryAll, following nextRecordsUrl. */
  public record QueryAll(String syncLabel, String soql) implements SalesforceRead {
    @Override public String describe() {
      return "queryAll " + soql;
    }
  }

  /** One Bulk 2.0 queryAll job, its results read in chunks. */
  public record BulkQueryAll(String syncLabel, String soql) implements SalesforceRead {
    @Override public String describe() {
      return "Bulk queryAll " + soql;
    }
  }

  @Override
  public Class<SalesforceRead> taskType() {
    return SalesforceRead.class;
  }

  @Override
  public List<SalesforceRead> plan(PlannedSync sync, ApiClient client) throws IOException {
    String object = apiName(sync.key().object());
    if (sync.mode() == RunMode.DELETE_CHECK) {
      // ids of the live records only, nothing else selected
      String live = "IsDeleted = false";
      long total = client.getJson(DATA + "/queryAll", Map.of("q", soql(List.of("Id"), object, live))).path("totalSize").asLong();
      if (total <= bulkThreshold) return List.of(new QueryAll(sync.runKey(), soql(List.of("Id"), object, live)));
      return bulkTasks(sync, object, List.of("Id"), live, total, client);
    }
    String since = sync.readFrom() == null ? null : "SystemModstamp >= " + soqlTime(sync.readFrom());
    // the Id-only first page is a cheap way to learn how many records the read will return
    long total = client.getJson(DATA + "/queryAll", Map.of("q", soql(List.of("Id"), object, since))).path("totalSize").asLong();
    JsonNode describe = client.getJson(DATA + "/sobjects/" + object + "/describe", Map.of());
    if (total <= bulkThreshold) {
      return List.of(new QueryAll(sync.runKey(), soql(fields(describe, Set.of()), object, since)));
    }
    // Bulk queries refuse binary fields; REST returns them as URLs, so nothing usable is lost
    return bulkTasks(sync, object, fields(describe, Set.of("base64")), since, total, client);
  }

  /** One Bulk queryAll job per Id range of about {@code recordsPerRange} records. */
  private List<SalesforceRead> bulkTasks(PlannedSync sync, String object, List<String> fields, String where, long total,
      ApiClient client) throws IOException {
    int ranges = (int) Math.min(MAX_RANGES, (total + recordsPerRange - 1) / recordsPerRange);
    List<String> bounds = ranges <= 1 ? List.of() : idBoundaries(object, where, ranges, client);
    List<SalesforceRead> tasks = new ArrayList<>();
    for (int i = 0; i <= bounds.size(); i++) {
      String lower = i == 0 ? null : "Id >= '" + bounds.get(i - 1) + "'";
      String upper = i == bounds.size() ? null : "Id < '" + bounds.get(i) + "'";
      tasks.add(new BulkQueryAll(sync.runKey(), soql(fields, object, and(where, lower, upper))));
    }
    return tasks;
  }

  @Override
  public void read(PlannedSync sync, SalesforceRead task, ApiClient client, RecordSink out) throws IOException {
    if (task instanceof BulkQueryAll bulk) {
      bulkQueryAll(bulk.soql(), client, (json, origin) -> out.accept(json, "salesforce bulk " + origin));
      return;
    }
    JsonNode page = client.getJson(DATA + "/queryAll", Map.of("q", task.soql()));
    for (int pageNumber = 1; ; pageNumber++) {
      String origin = "salesforce queryAll " + sync.key().object() + " page " + pageNumber;
      for (JsonNode r : page.path("records")) out.accept(JSON.writeValueAsString(r), origin);
      String next = page.path("nextRecordsUrl").asText(null);
      if (page.path("done").asBoolean(true) || next == null) return;
      page = client.getJson(next, Map.of());
    }
  }

  /** Salesforce mappings need no lookups: owners, accounts and stages are on the records themselves. */
  @Override
  public CommonLookups lookups(String object, CommonObject commonObject, ApiClient client, Consumer<String> warnings) {
    return CommonLookups.NONE;
  }

  /** Queryable fields from describe; compound address/location fields cannot be selected next to their parts. */
  static List<String> fields(JsonNode describe, Set<String> alsoSkippedTypes) throws IOException {
    List<String> fields = new ArrayList<>();
    for (JsonNode f : describe.path("fields")) {
      String type = f.path("type").asText();
      if (!COMPOUND_TYPES.contains(type) && !alsoSkippedTypes.contains(type)) fields.add(f.path("name").asText());
    }
    if (fields.isEmpty()) throw new ApiException(0, "salesforce describe of " + describe.path("name").asText() + " listed no fields");
    return fields;
  }

  /** Runs one Bulk 2.0 queryAll job and hands on each row as a JSON object of strings, as a Bulk CSV extract holds it. */
  private void bulkQueryAll(String soql, ApiClient client, RecordSink out) throws IOException {
    String jobId = client.postJson(DATA + "/jobs/query", Map.of("operation", "queryAll", "query", soql)).path("id").asText(null);
    if (jobId == null) throw new ApiException(0, "salesforce Bulk job creation returned no job id");
    awaitCompletion(jobId, client);
    String locator = null;
    int chunk = 0;
    do {
      Map<String, String> query = locator == null ? Map.of("maxRecords", String.valueOf(bulkChunkRecords))
          : Map.of("maxRecords", String.valueOf(bulkChunkRecords), "locator", locator);
      ApiClient.Response r = client.getText(DATA + "/jobs/query/" + jobId + "/results", query);
      chunk++;
      emitCsvRows(r.body(), "job " + jobId + " chunk " + chunk, out);
      locator = r.header("Sforce-Locator").filter(l -> !l.isBlank() && !l.equals("null")).orElse(null);
    } while (locator != null);
  }

  private static void awaitCompletion(String jobId, ApiClient client) throws IOException {
    long deadline = System.currentTimeMillis() + JOB_DEADLINE_MILLIS;
    long wait = Math.max(1, client.source().backoffMillis());
    while (true) {
      JsonNode job = client.getJson(DATA + "/jobs/query/" + jobId, Map.of());
      String state = job.path("state").asText();
      if (state.equals("JobComplete")) return;
      if (state.equals("Failed") || state.equals("Aborted")) {
        throw new ApiException(0, "salesforce Bulk job " + jobId + " " + state + ": " + client.mask(job.path("errorMessage").asText("")));
      }
      if (System.currentTimeMillis() > deadline) throw new ApiException(0, "salesforce Bulk job " + jobId + " still " + state + " after 6 hours");
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for salesforce Bulk job " + jobId);
      }
      wait = Math.min(MAX_POLL_MILLIS, wait * 2);
    }
  }

  /** One results chunk: rows as JSON objects of strings, a malformed row as unreadable text. */
  private static void emitCsvRows(String csvText, String origin, RecordSink out) throws IOException {
    IOException[] failed = new IOException[1];
    BulkCsv.read(new StringReader(csvText == null ? "" : csvText), JSON, new BulkCsv.Rows() {
      @Override public void record(ObjectNode record, int rowNumber) {
        out.accept(record.toString(), origin + " row " + rowNumber);
      }

      @Override public void unreadable(String text, int rowNumber, String problem) {
        try {
          out.unreadable(text, origin + " row " + rowNumber, "salesforce Bulk " + origin + ": " + problem);
        } catch (IOException e) {
          if (failed[0] == null) failed[0] = e;
        }
      }
    });
    if (failed[0] != null) throw failed[0];
  }

  /**
   * Id boundaries that cut the object into about equal ranges: a Bulk job lists the Ids, a bounded
   * reservoir sample of them is kept, and its quantiles are the cut points. Ranges cover every Id
   * whatever order the server compares in, so a poor sample costs balance, never records.
   */
  private List<String> idBoundaries(String object, String since, int ranges, ApiClient client) throws IOException {
    int capacity = ranges * SAMPLES_PER_RANGE;
    List<String> sample = new ArrayList<>(capacity);
    Random random = new Random(object.hashCode());
    long[] seen = {0};
    bulkQueryAll(soql(List.of("Id"), object, since), client, (json, origin) -> {
      String id;
      try {
        id = JSON.readTree(json).path("Id").asText();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (!API_NAME.matcher(id).matches()) throw new IllegalStateException("salesforce returned an Id that is not alphanumeric");
      seen[0]++;
      if (sample.size() < capacity) {
        sample.add(id);
      } else {
        long j = (long) (random.nextDouble() * seen[0]);
        if (j < capacity) sample.set((int) j, id);
      }
    });
    List<String> sorted = new ArrayList<>(new TreeSet<>(sample));
    TreeSet<String> bounds = new TreeSet<>();
    for (int i = 1; i < ranges && !sorted.isEmpty(); i++) bounds.add(sorted.get(i * sorted.size() / ranges));
    bounds.remove(sorted.isEmpty() ? "" : sorted.get(0));
    return new ArrayList<>(bounds);
  }

  @Override
  public void probe(String object, ApiClient client) throws IOException {
    client.getJson(DATA + "/sobjects/" + apiName(object) + "/describe", Map.of());
  }

  /** Object names go into URLs and SOQL, so only API names (letters, digits, underscores) pass. */
  static String apiName(String object) {
    if (object == null || !API_NAME.matcher(object).matches()) {
      throw new IllegalArgumentException("'" + object + "' is not a Salesforce object API name (letters, digits and underscores)");
    }
    return object;
  }

  /** The one SOQL shape the reader sends (and the sandbox understands): ordered so pages are stable. */
  static String soql(List<String> fields, String object, String where) {
    return "SELECT " + String.join(", ", fields) + " FROM " + object + (where == null ? "" : " WHERE " + where)
        + " ORDER BY SystemModstamp ASC, Id ASC";
  }

  private static String and(String... conditions) {
    String out = null;
    for (String c : conditions) {
      if (c != null) out = out == null ? c : out + " AND " + c;
    }
    return out;
  }

  /** SOQL datetime literal, whole seconds rounded down so the inclusive filter still covers readFrom. */
  static String soqlTime(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
