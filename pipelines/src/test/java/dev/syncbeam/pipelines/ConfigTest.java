package dev.syncbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.config.ConfigLoader;
import dev.syncbeam.pipelines.config.SslMode;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import dev.syncbeam.schemas.bookkeeping.SyncStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration fails in one line naming the file and key, with exit status 2; secrets come from the environment. */
class ConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("syncbeam.yaml"), yaml);
  }

  private static final String SYNC = "syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { extract: ./ex }\n    standard_objects: [contacts, companies]\n";

  @Test
  void anExtractUriIsKeptForItsFileSystemAndALocalFolderIsRelativeToTheConfig() throws Exception {
    Path f = write(SYNC.replace("./ex", "s3://crm-exports/acme/hubspot/"));
    assertEquals("s3://crm-exports/acme/hubspot", new ConfigLoader(Map.<String, String>of()::get).load(f).syncs().get(0).extractRoot());
    f = write(SYNC.replace("./ex", "../exports/acme"));
    assertEquals(dir.getParent().resolve("exports/acme").toString(),
        new ConfigLoader(Map.<String, String>of()::get).load(f).syncs().get(0).extractRoot());
  }

  @Test
  void validConfigExpandsToOneSyncPerObjectWithSecretsFromTheEnvironment() throws Exception {
    Path f = write("application_id: app1\ndestination:\n  url: jdbc:postgresql://db:5432/app\n  password: ${PG_PW}\n" + SYNC);
    SyncbeamConfig cfg = new ConfigLoader(Map.of("PG_PW", "s3cret")::get).load(f);
    assertEquals("${PG_PW}", cfg.destination().password(), "a secret keeps its reference until it is used");
    assertEquals(dir.resolve("ex").toAbsolutePath().toString(), cfg.syncs().get(0).extractRoot());
    List<SyncDefinition> syncs = SyncDefinition.expand(cfg, List.of());
    assertEquals(List.of("acme/hubspot/contacts", "acme/hubspot/companies"), syncs.stream().map(s -> s.key().label()).toList());
    assertEquals("hubspot_companies", syncs.get(1).rawTable());
    assertEquals(List.of("acme/hubspot/companies"),
        SyncDefinition.expand(cfg, List.of("acme/hubspot/companies")).stream().map(s -> s.key().label()).toList());
  }

  @Test
  void serveBlockHasDefaultsTakesKeysFromTheEnvironmentAndRefusesUnknownKeys() throws Exception {
    SyncbeamConfig none = ConfigLoader.fromEnvironment().load(write(SYNC));
    assertEquals(new SyncbeamConfig.Serve("127.0.0.1", 8080, List.of()), none.serve());
    Path f = write("serve:\n  port: 9090\n  api_keys:\n    - ${SB_KEY}\n" + SYNC);
    SyncbeamConfig cfg = new ConfigLoader(Map.of("SB_KEY", "k1")::get).load(f);
    assertEquals(new SyncbeamConfig.Serve("127.0.0.1", 9090, List.of("k1")), cfg.serve());
    assertTrue(refused("serve:\n  prot: 9090\n" + SYNC).getMessage().contains("serve.prot: unknown key"));
    assertTrue(refused("serve:\n  port: 70000\n" + SYNC).getMessage().contains("serve.port"));
  }

  @Test
  void errorsNameTheFileAndKey() throws Exception {
    Path typo = write("application_id: a\n" + SYNC.replace("provider: hubspot", "provider: hubspot\n    stratgy: full_only"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment().load(typo));
    assertTrue(e.getMessage().contains("syncbeam.yaml: syncs[0].stratgy: unknown key"), e.getMessage());

    Path env = write("destination: { url: 'jdbc:postgresql://h/db', password: \"${NOT_SET_ANYWHERE_42}\" }\n" + SYNC);
    e = assertThrows(ConfigException.class, () -> new ConfigLoader(k -> null).load(env));
    assertTrue(e.getMessage().contains("destination.password: environment variable NOT_SET_ANYWHERE_42 is not set"), e.getMessage());

    Path provider = write(SYNC.replace("hubspot", "zoho"));
    e = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment().load(provider));
    assertTrue(e.getMessage().contains("syncs[0].provider: unknown provider 'zoho'"), e.getMessage());
  }

  private ConfigException refused(String yaml) throws Exception {
    Path f = write(yaml);
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of("PG_PW", "pw")::get).load(f), yaml);
  }

  /** Each {yaml, message} is refused with one line: the file, then the message. */
  private void assertEachRefused(String[][] cases) throws Exception {
    for (String[] c : cases) {
      String message = refused(c[0]).getMessage();
      assertTrue(message.startsWith(dir.resolve("syncbeam.yaml") + ": " + c[1]), c[0] + " -> " + message);
      assertEquals(1, message.lines().count(), message);
    }
  }

  @Test
  void anUnknownKeyAtEveryLevelIsRefusedNamingItsPath() throws Exception {
    String[][] cases = {
        {"servr: 1\n" + SYNC, "servr: unknown key (expected one of application_id, destination, serve, syncs, webhook)"},
        {"destination: { url: 'jdbc:postgresql://h/db', pasword: x }\n" + SYNC,
            "destination.pasword: unknown key (expected one of password, schema, ssl_mode, url, user)"},
        {SYNC + "    stratgy: full_only\n", "syncs[0].stratgy: unknown key (expected one of common_objects, custom_objects,"
            + " customer_id, delete_check_every_n_incrementals, full_every_n_incrementals, period, provider, source, standard_objects, strategy)"},
        {SYNC.replace("{ extract: ./ex }", "{ extract: ./ex, extrac: ./ex }"), "syncs[0].source.extrac: unknown key (expected one of api, extract)"},
        {SYNC.replace("{ extract: ./ex }", "{ api: { tokn: x } }"), "syncs[0].source.api.tokn: unknown key (expected one of api_token,"
            + " backoff_ms, base_url, client_id, client_secret, max_attempts, refresh_token, token, token_url)"},
        {"webhook: { url: 'https://x', secrt: y }\n" + SYNC, "webhook.secrt: unknown key (expected one of secret, url)"},
        {"serve: { port: 8080, api_key: x }\n" + SYNC, "serve.api_key: unknown key (expected one of api_keys, bind, port, provider_timeout)"}};
    assertEachRefused(cases);
  }

  private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void webhookBlockTakesItsSecretFromTheEnvironmentAndNeverPrintsIt() throws Exception {
    Path f = write("webhook:\n  url: https://hooks.example.com/syncbeam?token=t0k\n  secret: ${WEBHOOK_SECRET}\n" + SYNC);
    SyncbeamConfig cfg = new ConfigLoader(Map.of("WEBHOOK_SECRET", WEBHOOK_SECRET)::get).load(f);
    assertEquals("https://hooks.example.com/syncbeam?token=t0k", cfg.webhook().url().toString());
    String printed = cfg.toString() + cfg.webhook() + cfg.webhook().secret();
    assertTrue(!printed.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") && !printed.contains("t0k"), printed);
    ConfigException unset = assertThrows(ConfigException.class, () -> new ConfigLoader(k -> null).load(f));
    assertTrue(unset.getMessage().endsWith(": webhook.secret: environment variable WEBHOOK_SECRET is not set"), unset.getMessage());
    assertEquals(null, ConfigLoader.fromEnvironment().load(write(SYNC)).webhook(), "no block, no webhook");
    // inside a flow mapping an unquoted ${ does not parse: the error says to quote it or use block style
    Path flow = write("webhook: { url: 'https://x.io/h', secret: ${WEBHOOK_SECRET} }\n" + SYNC);
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of("WEBHOOK_SECRET", WEBHOOK_SECRET)::get).load(flow));
    assertEquals(flow + ":1: ${WEBHOOK_SECRET} inside { } or [ ] must be quoted (\"${WEBHOOK_SECRET}\"), or write that mapping in block"
        + " style (one key per line)", e.getMessage());
    Path quoted = write("webhook: { url: 'https://x.io/h', secret: \"${WEBHOOK_SECRET}\" }\n" + SYNC);
    assertTrue(new ConfigLoader(Map.of("WEBHOOK_SECRET", WEBHOOK_SECRET)::get).load(quoted).webhook() != null);
  }

  @Test
  void webhookErrorsNameTheKeyAndNeverTheSecret() throws Exception {
    String[][] cases = {
        {"webhook:\n  secret: " + WEBHOOK_SECRET + "\n" + SYNC, "webhook.url: is required"},
        {"webhook:\n  url: ftp://x.io/h\n  secret: " + WEBHOOK_SECRET + "\n" + SYNC, "webhook.url: must be an http(s) URL with a host"},
        {"webhook:\n  url: https://x.io/h\n" + SYNC, "webhook.secret: is required"},
        {"webhook:\n  url: https://x.io/h\n  secret: s3cr3t-not-svix\n" + SYNC, "webhook.secret: must be whsec_<base64>"},
        {"webhook:\n  url: https://x.io/h\n  secret: whsec_c2hvcnQ=\n" + SYNC, "webhook.secret: holds a 5-byte key"},
        {"webhook:\n  url: https://x.io/h\n  secret: whsec_not*base64!\n" + SYNC, "webhook.secret: must be whsec_ followed by base64"},
        {"webhook: https://x.io/h\n" + SYNC, "webhook: must be a mapping: url and secret, one per line"}};
    assertEachRefused(cases);
    for (String secret : new String[] {"s3cr3t-not-svix", "c2hvcnQ=", "not*base64!"}) {
      String message = refused("webhook:\n  url: https://x.io/h\n  secret: whsec_" + secret + "\n" + SYNC).getMessage();
      assertTrue(!message.contains(secret), message);
    }
  }

  @Test
  void whatUsedToPassSilentlyIsRefused() throws Exception {
    String[][] cases = {
        {SYNC.replace("    provider: hubspot\n", "    provider: hubspot\n    customer_id: c2\n"),
            "syncs[0].customer_id: duplicate key on line 4; give each key once"},
        {"application_id: a\napplication_id: b\n" + SYNC, "application_id: duplicate key on line 2"},
        {SYNC + "    full_every_n_incrementals: 1.5\n", "syncs[0].full_every_n_incrementals: must be a whole number"},
        {SYNC + "    full_every_n_incrementals: -1\n", "syncs[0].full_every_n_incrementals: must be a whole number >= 0"},
        {"destination: { url: 'jdbc:postgresql://h/db', ssl_mode: nonsense }\n" + SYNC,
            "destination.ssl_mode: must be disable, allow, prefer, require, verify-ca or verify-full, not 'nonsense'"},
        {"destination: { schema: '' }\n" + SYNC, "destination.schema: must not be empty"},
        // 32 characters, 64 bytes: PostgreSQL counts bytes
        {"destination: { schema: " + "\u00fc".repeat(32) + " }\n" + SYNC, "destination.schema: is 64 bytes long; PostgreSQL names hold at most 63"},
        {SYNC + "    strategy: sometimes\n", "syncs[0].strategy: must be full_then_incremental or full_only, not 'sometimes'"},
        {SYNC.replace("[contacts, companies]", "contacts"), "syncs[0].standard_objects: must be a list"},
        {SYNC.replace("customer_id: acme", "customer_id: [acme]"), "syncs[0].customer_id: must be a single value"},
        {SYNC.replace("{ extract: ./ex }", "./ex"), "syncs[0].source: must be a mapping: { extract: DIR } or { api: {...} }"},
        {SYNC + "---\napplication_id: other\n", "a second YAML document on line"},
        {"- " + SYNC, "expected a mapping at the top level"},
        {"", "expected a mapping at the top level"}};
    assertEachRefused(cases);
  }

  @Test
  void closedSetsBindToTheirValues() throws Exception {
    Path f = write("destination:\n  url: jdbc:postgresql://h/db\n  ssl_mode: verify-full\n" + SYNC
        + "    strategy: full_only\n    full_every_n_incrementals: 24\n");
    SyncbeamConfig cfg = ConfigLoader.fromEnvironment().load(f);
    assertEquals(SslMode.VERIFY_FULL, cfg.destination().sslMode());
    assertEquals(SyncStrategy.FULL_ONLY, cfg.syncs().get(0).strategy());
    assertEquals(24, cfg.syncs().get(0).fullEveryNIncrementals());
    assertEquals("full_only", SyncDefinition.expand(cfg, List.of()).get(0).strategy());
    SyncbeamConfig defaults = ConfigLoader.fromEnvironment().load(write(SYNC));
    assertEquals(SyncbeamConfig.Destination.embeddedDefault(), defaults.destination());
    assertEquals(SyncStrategy.FULL_THEN_INCREMENTAL, defaults.syncs().get(0).strategy());
  }

  @Test
  void anUnquotedVariableInAFlowMappingSaysToQuoteIt() throws Exception {
    Path f = write("application_id: a\ndestination: { url: 'jdbc:postgresql://h/db', password: ${PG_PW} }\n" + SYNC);
    assertEquals(f + ":2: ${PG_PW} inside { } or [ ] must be quoted (\"${PG_PW}\"), or write that mapping in block style"
        + " (one key per line)", refused("application_id: a\ndestination: { url: 'jdbc:postgresql://h/db', password: ${PG_PW} }\n"
        + SYNC).getMessage());
    Path quoted = write("destination: { url: 'jdbc:postgresql://h/db', password: \"${PG_PW}\" }\n" + SYNC);
    assertEquals("${PG_PW}", new ConfigLoader(Map.of("PG_PW", "pw")::get).load(quoted).destination().password());

    ConfigException unset = assertThrows(ConfigException.class, () -> new ConfigLoader(k -> null).load(
        write(SYNC.replace("{ extract: ./ex }", "{ api: { token: \"${HS_TOKEN}\" } }"))));
    assertTrue(unset.getMessage().endsWith(": syncs[0].source.api.token: environment variable HS_TOKEN is not set"), unset.getMessage());
  }

  @Test
  void apiSourcesTakeTokensFromTheEnvironmentAndNeverPrintThem() throws Exception {
    Path f = write("syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { api: { token: \"${HS}\" } }\n"
        + "    standard_objects: [contacts]\n  - customer_id: acme\n    provider: pipedrive\n"
        + "    source: { api: { base_url: 'http://127.0.0.1:1/acme/pipedrive', api_token: \"pd-secret-456\", max_attempts: 3 } }\n"
        + "    standard_objects: [persons]\n");
    SyncbeamConfig cfg = new ConfigLoader(Map.of("HS", "hs-secret-123")::get).load(f);
    List<SyncDefinition> syncs = SyncDefinition.expand(cfg, List.of());
    assertEquals("https://api.hubapi.com", syncs.get(0).api().baseUrl());
    assertEquals(null, syncs.get(0).extractRoot());
    assertEquals("pd-secret-456", syncs.get(1).api().apiToken());
    assertEquals(3, syncs.get(1).api().maxAttempts());
    String printed = syncs.toString() + cfg;
    assertTrue(!printed.contains("hs-secret-123") && !printed.contains("pd-secret-456"), printed);
  }

  /** What a runner serializes into its job graph: the sync's API source and destination. */
  private static String serialized(Object... objects) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      for (Object o : objects) out.writeObject(o);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  void secretsTravelAsReferencesAndAreReadFromTheEnvironmentWhereTheyAreUsed() throws Exception {
    // PATH stands in for a secret: the one variable every test JVM has
    String value = System.getenv("PATH");
    Path f = write("destination:\n  url: jdbc:postgresql://db:5432/app\n  user: sync\n  password: \"${PATH}\"\n"
        + "syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { api: { token: \"${PATH}\" } }\n"
        + "    standard_objects: [contacts]\n");
    SyncbeamConfig cfg = ConfigLoader.fromEnvironment().load(f);
    dev.syncbeam.transforms.model.ApiSource api = SyncDefinition.expand(cfg, List.of()).get(0).api();
    assertEquals(value, api.accessToken(), "resolved where it is used");
    String graph;
    try (ConnectedDestination d = ConnectedDestination.open(cfg.destination())) {
      graph = serialized(api, d.destination());
    }
    assertTrue(graph.contains("${PATH}"), "the reference travels");
    assertFalse(graph.contains(value), "the value does not");

    assertEquals("environment variable SYNCBEAM_UNSET_SECRET is not set in this process; the config refers to it for a"
        + " secret, which is read where it is used: set it on every worker too",
        assertThrows(IllegalStateException.class, () -> api.withBaseUrl("x").withAccessToken("${SYNCBEAM_UNSET_SECRET}").accessToken())
            .getMessage());
  }

  @Test
  void apiSourceErrorsNameTheKey() throws Exception {
    String head = "syncs:\n  - customer_id: acme\n    provider: salesforce\n    standard_objects: [Account]\n    source: ";
    for (String[] c : new String[][] {
        {"{ api: { token: t } }", "syncs[0].source.api.base_url: is required for salesforce"},
        {"{ api: { base_url: 'https://x.my.salesforce.com' } }", "syncs[0].source.api: needs credentials"},
        {"{ api: { base_url: 'https://x', api_token: t } }", "syncs[0].source.api.api_token: is for Pipedrive"},
        {"{ api: { base_url: 'https://x', refresh_token: r } }", "syncs[0].source.api.refresh_token: needs client_id and client_secret"},
        {"{ extract: ., api: { base_url: 'https://x', token: t } }", "syncs[0].source: needs exactly one of"}}) {
      Path f = write(head + c[0] + "\n");
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment().load(f));
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void brokenYamlSaysWhere() throws Exception {
    Path f = write("application_id: a\nsyncs:\n  - customer_id: [unclosed\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment().load(f));
    assertTrue(e.getMessage().matches(".*syncbeam.yaml:\\d+:\\d+: not valid YAML.*"), e.getMessage());
  }

  @Test
  void theCommandLineExitsWithTwoOnBadConfigAndNamesTheUnknownSync() throws Exception {
    Path f = write("application_id: a\nsyncs: []\n");
    assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, DestinationContractTest.CliRun.of("sync", "--config", f.toString()).status());
    Path ok = write(SYNC);
    DestinationContractTest.CliRun run = DestinationContractTest.CliRun.of("sync", "--config", ok.toString(), "--only", "acme/hubspot/deals");
    assertEquals(SyncbeamCli.EXIT_BAD_CONFIG, run.status());
    assertTrue(run.err().contains("--only acme/hubspot/deals: no such sync"), run.err());
  }

  @Test
  void twoObjectsThatLandInTheSameRowsAreRefusedNamingBoth() throws Exception {
    Path f = write("syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { extract: ./ex }\n"
        + "    standard_objects: [contacts, Contacts]\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> SyncDefinition.expand(ConfigLoader.fromEnvironment().load(f), List.of()));
    assertEquals(f + ": syncs[0].standard_objects[1]: 'Contacts' and syncs[0].standard_objects[0] 'contacts' land in the same"
        + " rows (hubspot_contacts for acme/hubspot); list the object once", e.getMessage());

    Path sf = write("syncs:\n  - customer_id: acme\n    provider: salesforce\n    source: { extract: ./ex }\n"
        + "    standard_objects: [Foo__Bar__c]\n    custom_objects: [Foo_Bar__c]\n");
    e = assertThrows(ConfigException.class, () -> SyncDefinition.expand(ConfigLoader.fromEnvironment().load(sf), List.of()));
    assertTrue(e.getMessage().contains("syncs[0].custom_objects[0]: 'Foo_Bar__c' and syncs[0].standard_objects[0] 'Foo__Bar__c'"
        + " land in the same rows (custom_objects as salesforce_foo_bar_c for acme/salesforce)"), e.getMessage());

    Path apart = write("syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { extract: ./ex }\n"
        + "    standard_objects: [contacts]\n  - customer_id: globex\n    provider: hubspot\n    source: { extract: ./ex }\n"
        + "    standard_objects: [Contacts]\n");
    assertEquals(2, SyncDefinition.expand(ConfigLoader.fromEnvironment().load(apart), List.of()).size(),
        "the same table for two customers is two sets of rows");
  }

  @Test
  void anObjectNameThatIsAPathIsRefused() throws Exception {
    Path f = write("syncs:\n  - customer_id: acme\n    provider: hubspot\n    source: { extract: ./ex }\n"
        + "    standard_objects: [\"../outside/contacts\"]\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> SyncDefinition.expand(ConfigLoader.fromEnvironment().load(f), List.of()));
    assertTrue(e.getMessage().contains("sync acme/hubspot/../outside/contacts: object name '../outside/contacts' is not a folder"
        + " name"), e.getMessage());
  }
}
