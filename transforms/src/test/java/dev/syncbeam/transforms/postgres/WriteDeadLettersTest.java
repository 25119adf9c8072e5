package dev.syncbeam.transforms.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncbeam.sandbox.SharedTestPostgres;
import dev.syncbeam.schemas.SchemaMigrator;
import dev.syncbeam.schemas.SyncKey;
import dev.syncbeam.transforms.model.DeadLetter;
import dev.syncbeam.transforms.model.PlannedSync;
import dev.syncbeam.transforms.model.RunMode;
import dev.syncbeam.transforms.model.RunPlans;
import dev.syncbeam.transforms.model.SyncPlan;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** A runner may run a bundle again after a failure: its dead letters must not be kept twice. */
class WriteDeadLettersTest {
  @Test
  void aRetriedBundleLeavesOneRowPerBadRecord() throws Exception {
    PostgresDestination destination = PostgresDestination.of(SharedTestPostgres.freshDatabase("deadletters"), "postgres", "postgres",
        "supaglue");
    try (Connection c = destination.open()) {
      SchemaMigrator.standard().migrate(c, "supaglue");
      c.commit();
    }
    SyncKey key = new SyncKey("app", "hubspot", "acme", "contacts");
    SyncPlan plan = new SyncPlan(List.of(new PlannedSync(key, RunMode.FULL, 7L, Instant.parse("2024-06-01T00:00:00Z"), null,
        "/x", "hubspot_contacts", null)));
    List<DeadLetter> bundle = List.of(
        DeadLetter.unreadable(plan.syncs().get(0).runKey(), "a.json: invalid JSON", "{\"results\":[{"),
        DeadLetter.of(plan.syncs().get(0).runKey(), "42", "record 42: unpaired UTF-16 surrogate", "{\"id\":\"42\"}"),
        DeadLetter.of(plan.syncs().get(0).runKey(), null, "a.ndjson at byte 10: record has no id", "{}"),
        DeadLetter.of(plan.syncs().get(0).runKey(), null, "a.ndjson at byte 20: record has no id", "{}"));

    for (int attempt = 0; attempt < 3; attempt++) { // the first attempt and two replays of the same bundle
      Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--enforceImmutability=true", "--enforceEncodability=true").create());
      p.apply(Create.of(bundle).withCoder(SerializableCoder.of(DeadLetter.class))).apply(new WriteDeadLetters(destination, RunPlans.of(plan)));
      p.run().waitUntilFinish();
    }

    try (Connection c = destination.open(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT error) FROM supaglue._syncbeam_dead_letters WHERE run_id = 7")) {
      rs.next();
      assertEquals(4, rs.getLong(1), "one row per bad record");
      assertEquals(4, rs.getLong(2));
    }
  }
}
