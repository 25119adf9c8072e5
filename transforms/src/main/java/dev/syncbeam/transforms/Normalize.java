package dev.syncbeam.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.syncbeam.schemas.CopyText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.StagedRow;
import dev.syncbeam.transforms.model.SyncPlan;
import dev.syncbeam.transforms.providers.KeyFields;
import dev.syncbeam.transforms.providers.ProviderRecords;
import dev.syncbeam.transforms.providers.Providers;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Turns source records into destination rows: finds each record's id, last-modified time and
 * deleted flag, drops what an incremental run has already seen, and encodes the raw-table row as a
 * COPY line. Records that cannot be interpreted go to {@link #DEAD_LETTERS}, never silently away.
 */
public final class Normalize extends PTransform<PCollection<SourceRecord>, PCollectionTuple> {
  public static final TupleTag<StagedRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> COUNTS = new TupleTag<>() {};
  /** Metric namespace of per-sync records-read counters (named by sync label), for progress lines. */
  public static final String PROGRESS_READ = "syncbeam.records_read";

  private final SyncPlan plan;

  public Normalize(SyncPlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> records) {
    PCollectionTuple out = records.apply("NormalizeRecords",
        ParDo.of(new NormalizeFn(plan)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS).and(COUNTS)));
    out.get(ROWS).setCoder(StagedRow.CODER);
    out.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    out.get(COUNTS).setCoder(ReadProvider.countsCoder());
    return out;
  }

  static final class NormalizeFn extends DoFn<SourceRecord, StagedRow> {
    private static final Counter RECORDS = Metrics.counter(Normalize.class, "records_normalized");
    private static final Counter DEAD = Metrics.counter(Normalize.class, "dead_letters");
    private final SyncPlan plan;
    private transient ObjectMapper mapper;
    private transient Map<String, RunCounts> counts;
    private transient Map<String, TableDefinition> tables;
    private transient Map<String, Counter> readPerSync;

    NormalizeFn(SyncPlan plan) {
      this.plan = plan;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
      tables = new HashMap<>();
      readPerSync = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      counts = new HashMap<>();
    }

    private void count(String label, java.util.function.UnaryOperator<RunCounts> change) {
      counts.put(label, change.apply(counts.getOrDefault(label, RunCounts.ZERO)));
    }

    @ProcessElement
    public void process(@Element SourceRecord in, MultiOutputReceiver out) {
      // a record that lands a raw row is finished when the sink commits it; any other is finished here
      if (!landRecord(in, out)) ReadBackpressure.release(1);
    }

    /** Returns whether the record went on to the sink as a raw-table row. */
    private boolean landRecord(SourceRecord in, MultiOutputReceiver out) {
      PlannedSync sync = plan.get(in.syncLabel());
      count(sync.label(), c -> c.withRead(1));
      readPerSync.computeIfAbsent(sync.label(), l -> Metrics.counter(PROGRESS_READ, l)).inc();
      if (in.readError() != null) {
        deadLetter(out, sync, null, in.readError(), in.payload());
        return false;
      }
      ProviderRecords provider = Providers.forName(sync.key().provider());
      JsonNode record;
      try {
        record = KeyFields.read(mapper, in.payload(), provider.keyFields());
      } catch (KeyFields.NotAnObjectException e) {
        deadLetter(out, sync, null, in.origin() + ": " + e.getMessage(), in.payload());
        return false;
      } catch (JsonProcessingException e) {
        deadLetter(out, sync, null, in.origin() + ": invalid JSON: " + e.getOriginalMessage(), in.payload());
        return false;
      } catch (java.io.IOException e) {
        deadLetter(out, sync, null, in.origin() + ": invalid JSON: " + e.getMessage(), in.payload());
        return false;
      }
      String id = provider.id(record);
      if (id == null) {
        deadLetter(out, sync, null, in.origin() + ": record has no id", in.payload());
        return false;
      }
      Instant recordModified = provider.lastModified(record);
      if (provider.hasUnparseableTimestamp(record)) count(sync.label(), c -> c.withCoerced(1));
      Instant lastModified = recordModified != null ? recordModified : Timestamps.EPOCH;
      if (sync.readFrom() != null && lastModified.isBefore(sync.readFrom())) {
        count(sync.label(), c -> c.withSkipped(1));
        return false;
      }
      String raw = in.payload().contains("\\u0000") ? withoutNul(in.payload()) : in.payload();
      TableDefinition table = tables.computeIfAbsent(sync.rawTable(), ObjectTables::forTableName);
      Object[] values = new Object[table.columns().size()];
      values[table.indexOf(ObjectTables.APPLICATION_ID)] = sync.key().applicationId();
      values[table.indexOf(ObjectTables.PROVIDER_NAME)] = sync.key().provider();
      values[table.indexOf(ObjectTables.CUSTOMER_ID)] = sync.key().customerId();
      if (table.hasColumn(ObjectTables.OBJECT_NAME)) values[table.indexOf(ObjectTables.OBJECT_NAME)] = sync.customObjectName();
      values[table.indexOf(table.idColumn())] = id;
      values[table.indexOf(table.emittedAtColumn())] = sync.emittedAt();
      values[table.indexOf(table.lastModifiedColumn())] = lastModified;
      values[table.indexOf(table.deletedColumn())] = provider.deleted(record);
      values[table.indexOf(table.rawDataColumn())] = raw;
      values[table.indexOf("_supaglue_mapped_data")] = "{}";
      out.get(ROWS).output(new StagedRow(table.name(), sync.label(), id, lastModified.toEpochMilli(), CopyText.line(table, values)));
      RECORDS.inc();
      // ---- common objects (issue 3): the same record, unified, into crm_<object>; the raw row above always lands ----
      if (sync.commonObject() != null) {
        // the key-field scan above skipped the rest of the record; mappings need all of it, as raw_data holds it
        JsonNode whole;
        try {
          whole = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("record " + id + " parsed once and not again: " + e.getOriginalMessage(), e);
        }
        emitCommonRow(out, sync, whole, raw, id, recordModified, in);
      }
      return true;
    }

    /** A record its provider's mapping cannot map is dead-lettered with its id; its raw row is written all the same. */
    private void emitCommonRow(MultiOutputReceiver out, PlannedSync sync, JsonNode record, String raw, String id,
        Instant recordModified, SourceRecord in) {
      CommonObjectRows.Encoded crm;
      try {
        crm = CommonObjectRows.encode(sync, tables.computeIfAbsent(sync.commonTable(), ObjectTables::forTableName),
            record, raw, id, recordModified);
      } catch (RuntimeException e) {
        deadLetter(out, sync, id, in.origin() + ": cannot map record " + id + " to " + sync.commonTable() + ": " + e,
            in.payload());
        return;
      }
      out.get(ROWS).output(crm.row());
      if (crm.coerced() > 0) count(sync.label(), c -> c.withCoerced(crm.coerced()));
    }

    private void deadLetter(MultiOutputReceiver out, PlannedSync sync, String recordId, String error, String payload) {
      out.get(DEAD_LETTERS).output(DeadLetter.of(sync.label(), recordId, error, payload));
      DEAD.inc();
    }

    /** PostgreSQL's jsonb cannot hold U+0000; the record lands without those characters rather than not at all. */
    private String withoutNul(String payload) {
      try {
        return mapper.writeValueAsString(stripNul(mapper.readTree(payload)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private static JsonNode stripNul(JsonNode node) {
      if (node.isTextual()) return TextNode.valueOf(node.textValue().replace("\0", ""));
      if (node.isObject()) {
        ObjectNode copy = ((ObjectNode) node).objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          copy.set(e.getKey().replace("\0", ""), stripNul(e.getValue()));
        }
        return copy;
      }
      if (node.isArray()) {
        com.fasterxml.jackson.databind.node.ArrayNode copy = ((com.fasterxml.jackson.databind.node.ArrayNode) node).arrayNode();
        node.forEach(n -> copy.add(stripNul(n)));
        return copy;
      }
      return node;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      counts.forEach((label, c) -> ctx.output(COUNTS, KV.of(label, c), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }
  }
}
