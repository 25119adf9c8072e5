package dev.syncbeam.pipelines.commonobjects;

import dev.syncbeam.schemas.unified.CommonObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.SyncDefinition;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommonObjectsConfigTest {
  @TempDir Path dir;

  private Path config(String provider, String lists) throws Exception {
    Path f = dir.resolve("syncbeam.yaml");
    Files.writeString(f, """
        application_id: app
        syncs:
          - customer_id: acme
            provider: %s
            source: { extract: ./x }
            %s
        """.formatted(provider, lists));
    return f;
  }

  @Test
  void anUnknownCommonObjectIsAConfigErrorNamingTheKey() throws Exception {
    Path f = config("hubspot", "common_objects: [contacts, widgets]");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(v -> null).load(f));
    assertTrue(e.getMessage().contains("syncs[0].common_objects[1]"), e.getMessage());
    assertTrue(e.getMessage().contains("'widgets'"), e.getMessage());
  }

  @Test
  void commonObjectsExpandToTheProviderObjectsThatFeedThem() throws Exception {
    List<SyncDefinition> defs = SyncDefinition.expand(new ConfigLoader(v -> null).load(
        config("salesforce", "standard_objects: [Account, Case]\n    common_objects: [accounts, users]")), List.of());
    assertEquals(List.of("acme/salesforce/Account", "acme/salesforce/Case", "acme/salesforce/User"),
        defs.stream().map(d -> d.key().label()).toList());
    assertEquals(CommonObject.ACCOUNTS, defs.get(0).commonObject());
    assertEquals(null, defs.get(1).commonObject());
    assertEquals("salesforce_user", defs.get(2).rawTable(), "a common-only object still lands its raw table");
  }

  @Test
  void hubspotLeadsAloneLandNothingWithoutFailing() throws Exception {
    assertEquals(List.of(), SyncDefinition.expand(new ConfigLoader(v -> null).load(
        config("hubspot", "common_objects: [leads]")), List.of()));
  }
}
