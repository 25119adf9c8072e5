package dev.syncbeam.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the sandbox serves: which customers, how many generated records per object, the seed that
 * makes the dataset reproducible, page-size caps (small caps force paging in tests), and whether
 * the providers' rate limits are enforced (off unless asked for).
 */
public record SandboxConfig(int port, List<String> customers, int recordsPerObject, long seed,
                            int salesforcePageSize, int hubspotMaxLimit, int pipedriveMaxLimit, RateLimits rateLimits) {
  public static final List<String> PROVIDERS = List.of("salesforce", "hubspot", "pipedrive");

  public SandboxConfig {
    customers = List.copyOf(customers);
    if (customers.isEmpty()) throw new IllegalArgumentException("the sandbox needs at least one customer");
    if (recordsPerObject < 0) throw new IllegalArgumentException("records per object must be >= 0");
  }

  /** Real-API paging limits: Salesforce 2000 records a page, HubSpot 100 (search 200), Pipedrive 500. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(0, List.of("acme", "globex"), 50, 42L, 2000, 100, 500, RateLimits.off());
  }

  /** {@code n} customers named customer1..customerN. */
  public SandboxConfig withCustomers(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) names.add(String.format(Locale.ROOT, "customer%d", i));
    return withCustomers(names);
  }

  public SandboxConfig withCustomers(List<String> names) {
    return new SandboxConfig(port, names, recordsPerObject, seed, salesforcePageSize, hubspotMaxLimit, pipedriveMaxLimit, rateLimits);
  }

  public SandboxConfig withPort(int p) {
    return new SandboxConfig(p, customers, recordsPerObject, seed, salesforcePageSize, hubspotMaxLimit, pipedriveMaxLimit, rateLimits);
  }

  public SandboxConfig withRecordsPerObject(int n) {
    return new SandboxConfig(port, customers, n, seed, salesforcePageSize, hubspotMaxLimit, pipedriveMaxLimit, rateLimits);
  }

  public SandboxConfig withSeed(long s) {
    return new SandboxConfig(port, customers, recordsPerObject, s, salesforcePageSize, hubspotMaxLimit, pipedriveMaxLimit, rateLimits);
  }

  /** Caps every provider's page size (a client asking for more gets at most this many). */
  public SandboxConfig withPageSize(int n) {
    return new SandboxConfig(port, customers, recordsPerObject, seed, n, n, n, rateLimits);
  }

  /** Enforce these limits per tenant ({@link RateLimits#real()}: the providers' published ones). */
  public SandboxConfig withRateLimits(RateLimits limits) {
    return new SandboxConfig(port, customers, recordsPerObject, seed, salesforcePageSize, hubspotMaxLimit, pipedriveMaxLimit, limits);
  }
}
