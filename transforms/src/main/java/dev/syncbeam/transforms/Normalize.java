package dev.syncbeam.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.syncbeam.schemas.JsonbText;
import dev.syncbeam.schemas.ObjectTables;
import dev.syncbeam.schemas.TableDefinition;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunCounts;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.SourceRecord;
import dev.syncbeam.transforms.model.StagedRow;
import dev.syncbeam.transforms.model.BundleTotals;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.providers.KeyFields;
import dev.syncbeam.transforms.providers.ProviderRecords;
import dev.syncbeam.transforms.providers.Providers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Turns source records into destination rows: finds each record's id, last-modified time and
 * deleted flag, drops what an incremental run has already seen, and encodes the raw-table row (and,
 * for common objects, the crm_* row) as COPY lines. Records that cannot be interpreted, or hold text
 * PostgreSQL would refuse, go to {@link #DEAD_LETTERS}, never silently away and never into a batch
 * where they would fail other records.
 */
public final class Normalize extends PTransform<PCollection<SourceRecord>, PCollectionTuple> {
  public static final TupleTag<StagedRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  public static final TupleTag<KV<String, RunCounts>> COUNTS = new TupleTag<>() {};
  /** Metric namespace of per-sync records-read counters (named by sync label), for progress lines. */
  public static final String PROGRESS_READ = "syncbeam.records_read";
  /** How far past a run's start a record's timestamp may be before it counts as stamped in the future. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final RunPlans plan;

  public Normalize(RunPlans plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceRecord> records) {
    PCollectionTuple out = records.apply("NormalizeRecords",
        ParDo.of(new NormalizeFn(plan)).withSideInputs(plan.sideInputs()).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS).and(COUNTS)));
    out.get(ROWS).setCoder(StagedRow.CODER);
    out.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    out.get(COUNTS).setCoder(ReadProvider.countsCoder());
    return out;
  }

  static final class NormalizeFn extends DoFn<SourceRecord, StagedRow> {
    private static final Counter RECORDS = Metrics.counter(Normalize.class, "records_normalized");
    private static final Counter DEAD = Metrics.counter(Normalize.class, "dead_letters");
    private static final UnaryOperator<RunCounts> READ_ONE = c -> c.withRead(1);
    private final RunPlans plan;
    private transient ObjectMapper mapper;
    private transient BundleTotals counts;
    private transient Map<String, TableDefinition> tables;
    /** Records-read progress counters, by run key. */
    private transient Map<String, Counter> readPerSync;

    NormalizeFn(RunPlans plan) {
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
      counts = new BundleTotals();
    }

    private void count(PlannedSync sync, UnaryOperator<RunCounts> change) {
      counts.add(sync.runKey(), change);
    }

    @ProcessElement
    public void process(@Element SourceRecord in, MultiOutputReceiver out, BoundedWindow window, ProcessContext c) {
      counts.seen(in.syncLabel(), window);
      // a record that lands a raw row is finished when the sink commits it; any other is finished here
      if (!landRecord(plan.get(c, in.syncLabel()), in, out)) ReadBackpressure.release(1);
    }

    /** The key fields of one record, as read by its provider's conventions (for a common object, all of its fields). */
    private record Keys(JsonNode fields, String id, Instant modified) {}

    /** Returns whether the record went on to the sink as a raw-table row. */
    private boolean landRecord(PlannedSync sync, SourceRecord in, MultiOutputReceiver out) {
      // once per record: by the run key the record carries, not one rebuilt from the sync each time
      counts.add(in.syncLabel(), READ_ONE);
      readPerSync.computeIfAbsent(in.syncLabel(), k -> Metrics.counter(PROGRESS_READ, PlannedSync.labelOf(k))).inc();
      ProviderRecords provider = Providers.get(sync.key().provider()).records();

      // 1. parse the fields that identify the record; anything unreadable is kept as a dead letter
      Keys keys = readKeys(in, sync, provider, out);
      if (keys == null) return false;
      // a delete check keeps only the ids the provider still has live: they are what its sweep spares
      if (sync.mode() == RunMode.DELETE_CHECK) {
        if (provider.deleted(keys.fields())) return false;
        out.get(ROWS).output(StagedRow.keyOnly(sync.rawTable(), sync.runKey(), sync.runId(), keys.id(), sync.sweeps()));
        return true;
      }
      // 2. an incremental run lands only what changed since the watermark (a record without a time may have)
      if (sync.readFrom() != null && keys.modified() != null && keys.modified().isBefore(sync.readFrom())) {
        count(sync, c -> c.withSkipped(1));
        return false;
      }
      // 3. the text must be something jsonb takes, or the record would fail its whole batch
      String raw = landableText(in, sync, keys, out);
      if (raw == null) return false;
      noteTimestamps(in, sync, provider, keys);
      // 4. the raw-table row, always; then the crm_* row for a common object
      emitRawRow(out, sync, provider, keys, raw);
      if (sync.commonObject() != null) emitCommonRow(out, sync, keys, raw, in);
      return true;
    }

    private Keys readKeys(SourceRecord in, PlannedSync sync, ProviderRecords provider, MultiOutputReceiver out) {
      if (in.readError() != null) {
        unreadable(out, sync, in.readError(), in.payload());
        return null;
      }
      JsonNode fields;
      try {
        // a common object's mapping reads the whole record anyway: parse it once, whole
        fields = sync.commonObject() != null ? KeyFields.readWhole(mapper, in.payload())
            : KeyFields.read(mapper, in.payload(), provider.keyFields());
      } catch (KeyFields.NotAnObjectException e) {
        deadLetter(out, sync, null, in.origin() + ": " + e.getMessage(), in.payload());
        return null;
      } catch (JsonProcessingException e) {
        unreadable(out, sync, in.origin() + ": invalid JSON: " + e.getOriginalMessage(), in.payload());
        return null;
      } catch (IOException e) {
        unreadable(out, sync, in.origin() + ": invalid JSON: " + e.getMessage(), in.payload());
        return null;
      }
      String id = provider.id(fields);
      if (id == null) {
        deadLetter(out, sync, null, in.origin() + ": record has no id", in.payload());
        return null;
      }
      return new Keys(fields, id, provider.lastModified(fields));
    }

    /**
     * The record's text as it can land in jsonb, or null once dead-lettered: a lone UTF-16 surrogate
     * has no lossless fix; U+0000, which jsonb cannot hold either, is dropped and counted.
     */
    private String landableText(SourceRecord in, PlannedSync sync, Keys keys, MultiOutputReceiver out) {
      String refused = JsonbText.problem(in.payload());
      if (refused != null) {
        deadLetter(out, sync, keys.id(), in.origin() + ": record " + keys.id() + ": " + refused, in.payload());
        return null;
      }
      if (in.replacedUtf8()) count(sync, c -> c.withReplacedUtf8(keys.id()));
      if (!in.payload().contains("\\u0000")) return in.payload();
      count(sync, c -> c.withCoerced(1));
      return withoutNul(in.payload());
    }

    /** Unparseable or out-of-range timestamps are coercions; a stamp past the run's start is counted, not trusted. */
    private void noteTimestamps(SourceRecord in, PlannedSync sync, ProviderRecords provider, Keys keys) {
      if (provider.hasUnparseableTimestamp(keys.fields())) count(sync, c -> c.withCoerced(1));
      Instant modified = keys.modified();
      if (modified != null && modified.isAfter(sync.emittedAt().plus(CLOCK_SKEW))) {
        count(sync, c -> c.withFutureStamped(modified.toEpochMilli()));
      }
    }

    private void emitRawRow(MultiOutputReceiver out, PlannedSync sync, ProviderRecords provider, Keys keys, String raw) {
      TableDefinition table = tables.computeIfAbsent(sync.rawTable(), ObjectTables::forTableName);
      out.get(ROWS).output(RecordRows.raw(sync, table, provider, keys.fields(), keys.id(), keys.modified(), raw));
      RECORDS.inc();
    }

    /** A record its provider's mapping cannot map is dead-lettered with its id; its raw row is written all the same. */
    private void emitCommonRow(MultiOutputReceiver out, PlannedSync sync, Keys keys, String raw, SourceRecord in) {
      // readKeys parsed the whole record; only a record that lost its U+0000s is parsed again, as raw_data holds it
      JsonNode whole = keys.fields();
      if (!raw.equals(in.payload())) {
        try {
          whole = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("record " + keys.id() + " parsed once and not again: " + e.getOriginalMessage(), e);
        }
      }
      CommonObjectRows.Encoded crm;
      try {
        crm = CommonObjectRows.encode(sync, tables.computeIfAbsent(sync.commonTable(), ObjectTables::forTableName),
            whole, raw, keys.id(), keys.modified());
      } catch (RuntimeException e) {
        deadLetter(out, sync, keys.id(), in.origin() + ": cannot map record " + keys.id() + " to " + sync.commonTable()
            + ": " + e, in.payload());
        return;
      }
      out.get(ROWS).output(crm.row());
      if (crm.coerced() > 0) count(sync, c -> c.withCoerced(crm.coerced()));
    }

    private void deadLetter(MultiOutputReceiver out, PlannedSync sync, String recordId, String error, String payload) {
      out.get(DEAD_LETTERS).output(DeadLetter.of(sync.runKey(), recordId, error, payload));
      DEAD.inc();
    }

    private void unreadable(MultiOutputReceiver out, PlannedSync sync, String error, String payload) {
      out.get(DEAD_LETTERS).output(DeadLetter.unreadable(sync.runKey(), error, payload));
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
        ArrayNode copy = ((ArrayNode) node).arrayNode();
        node.forEach(n -> copy.add(stripNul(n)));
        return copy;
      }
      return node;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      counts.emit((total, window) -> ctx.output(COUNTS, total, window.maxTimestamp(), window));
    }
  }
}
