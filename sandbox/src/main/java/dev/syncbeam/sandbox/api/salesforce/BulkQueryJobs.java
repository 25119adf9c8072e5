package dev.syncbeam.sandbox.api.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.ApiError;
import dev.syncbeam.sandbox.api.ApiRequest;
import dev.syncbeam.sandbox.api.ApiResponse;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.RecordView;
import dev.syncbeam.sandbox.api.Tenant;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk API 2.0 query jobs. The result is computed when the job is created; the first status poll
 * still says InProgress (so readers exercise their polling), later polls JobComplete. Results are
 * CSV in which every value is a quoted string and null is the empty string, in chunks chained by
 * the {@code Sforce-Locator} header ("null" on the last chunk).
 */
final class BulkQueryJobs {
  private static final int DEFAULT_MAX_RECORDS = 50_000;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  private static final class Job {
    final ObjectNode info;
    final List<Field> fields;
    final RecordView rows;
    int polls;

    Job(ObjectNode info, List<Field> fields, RecordView rows) {
      this.info = info;
      this.fields = fields;
      this.rows = rows;
    }
  }

  ApiResponse handle(Tenant tenant, ApiRequest req, String[] s) {
    if (s.length == 5 && s[4].equals("query") && req.is("POST")) return create(tenant, Json.parse(req.body()));
    if (s.length < 6 || !s[4].equals("query")) throw SalesforceEmulator.notFound(req.path());
    Job job = jobs.get(tenant.baseUrl() + "/" + s[5]);
    if (job == null) throw SalesforceEmulator.notFound(req.path());
    if (s.length == 6 && req.is("GET")) return status(job);
    if (s.length == 7 && s[6].equals("results") && req.is("GET")) return results(job, req);
    if (s.length == 6 && req.is("DELETE")) {
      jobs.remove(tenant.baseUrl() + "/" + s[5]);
      return ApiResponse.noContent();
    }
    throw SalesforceEmulator.notFound(req.path());
  }

  private ApiResponse create(Tenant tenant, JsonNode body) {
    String operation = body.path("operation").asText("query");
    if (!operation.equals("query") && !operation.equals("queryAll")) {
      throw new ApiError(ApiResponse.json(400, SalesforceEmulator.error("INVALIDJOB", "operation must be query or queryAll")));
    }
    Soql soql = Soql.parse(body.path("query").asText());
    for (Field f : soql.fields()) {
      if (f.type().equals("address")) {
        throw new ApiError(ApiResponse.json(400, SalesforceEmulator.error("API_ERROR", "Selecting compound data not supported in Bulk Query")));
      }
    }
    tenant.requested(soql.object().name(), soql.fields().stream().map(Field::name).toList());
    RecordView rows = SalesforceEmulator.select(tenant, soql, operation.equals("queryAll"));
    String id = String.format(Locale.ROOT, "750SB%010dAAA", ids.incrementAndGet());
    String now = WireTimestamps.salesforce(Instant.now());
    ObjectNode info = Json.object().put("id", id).put("operation", operation).put("object", soql.object().name())
        .put("createdById", SalesforceObjects.id(SalesforceObjects.ALL.get("User"), 1)).put("createdDate", now).put("systemModstamp", now)
        .put("state", "UploadComplete").put("concurrencyMode", "Parallel").put("contentType", "CSV").put("apiVersion", 59.0)
        .put("lineEnding", "LF").put("columnDelimiter", "COMMA");
    jobs.put(tenant.baseUrl() + "/" + id, new Job(info, soql.fields(), rows));
    return ApiResponse.json(200, info);
  }

  private static ApiResponse status(Job job) {
    ObjectNode info;
    synchronized (job) {
      job.polls++;
      info = job.info.deepCopy().put("state", job.polls == 1 ? "InProgress" : "JobComplete");
    }
    info.put("jobType", "V2Query").put("numberRecordsProcessed", job.polls == 1 ? 0 : job.rows.size()).put("retries", 0).put("totalProcessingTime", 0);
    return ApiResponse.json(200, info);
  }

  private static ApiResponse results(Job job, ApiRequest req) {
    int max = Math.max(1, req.intParam("maxRecords", DEFAULT_MAX_RECORDS));
    String locator = req.query().get("locator");
    int offset = locator == null || locator.isEmpty() ? 0 : decode(locator);
    int end = Math.min(job.rows.size(), offset + max);
    StringBuilder csv = new StringBuilder();
    appendRow(csv, job.fields.stream().map(Field::name).toList());
    for (ObjectNode r : job.rows.page(offset, end - offset)) {
      List<String> row = new ArrayList<>(job.fields.size());
      for (Field f : job.fields) row.add(csvValue(f, r.get(f.name())));
      appendRow(csv, row);
    }
    String next = end < job.rows.size() ? Base64.getEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : "null";
    return ApiResponse.csv(csv.toString()).withHeader("Sforce-Locator", next).withHeader("Sforce-NumberOfRecords", String.valueOf(end - offset));
  }

  private static int decode(String locator) {
    try {
      return Integer.parseInt(new String(Base64.getDecoder().decode(locator), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new ApiError(ApiResponse.json(400, SalesforceEmulator.error("INVALIDLOCATOR", "invalid locator " + locator)));
    }
  }

  /** Bulk CSV text of a value: datetimes in Bulk's own {@code ...T..:..:...000Z} form, null as empty. */
  private static String csvValue(Field f, JsonNode v) {
    if (v == null || v.isNull()) return "";
    if (f.type().equals("datetime")) return WireTimestamps.isoMillis(WireTimestamps.parseSalesforce(v.asText()));
    return v.asText();
  }

  private static void appendRow(StringBuilder csv, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) csv.append(',');
      csv.append('"').append(values.get(i).replace("\"", "\"\"")).append('"');
    }
    csv.append('\n');
  }
}
