package dev.syncbeam.transforms.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.syncbeam.schemas.SyncKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan travels with every DoFn: it must arrive with every run intact, whether or not the JVM already knows it. */
class SyncPlanTest {
  private static SyncPlan plan() {
    Instant at = Instant.parse("2024-06-01T00:00:00Z");
    return new SyncPlan(List.of(
        new PlannedSync(new SyncKey("app", "hubspot", "acme", "contacts"), RunMode.FULL, 7L, at, null, "/x", "hubspot_contacts", null),
        new PlannedSync(new SyncKey("app", "hubspot", "beta", "deals"), RunMode.INCREMENTAL, 8L, at, at.minusSeconds(60), "/y",
            "hubspot_deals", null)));
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] b) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      return in.readObject();
    }
  }

  @Test
  void aJvmThatKnowsThePlanTakesItsInstance() throws Exception {
    SyncPlan plan = plan();
    assertSame(plan, deserialize(serialize(plan)));
    assertSame(plan, deserialize(serialize(RunPlans.of(plan))) instanceof RunPlans r ? r.fixed() : null);
  }

  @Test
  void aJvmThatDoesNotDecodesEveryRun() throws Exception {
    SyncPlan plan = plan();
    byte[] wire = serialize(plan);
    List<PlannedSync> runs = plan.syncs();
    plan = null;
    // a worker elsewhere has never seen it: let the driver's instance go, as if in another JVM
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(10);
    }
    SyncPlan read = (SyncPlan) deserialize(wire);
    // lookups compare by identity, so the runs are compared by what they say
    assertEquals(runs.toString(), read.syncs().toString());
    assertEquals(runs.get(1).toString(), read.get(runs.get(1).runKey()).toString());
    // and it travels on with the same id: a second decode gives the same instance
    assertSame(read, deserialize(serialize(read)));
  }
}
