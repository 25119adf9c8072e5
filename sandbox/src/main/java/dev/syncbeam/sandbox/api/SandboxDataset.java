package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's records seen from Java: what a test needs to compute the exact expected
 * destination state, and the same writes the HTTP API offers (plus bulk changes) so a test or the
 * demo can change data without an HTTP client. Records are copies in the API's own shape.
 */
public final class SandboxDataset {
  private final SandboxServer server;

  SandboxDataset(SandboxServer server) {
    this.server = server;
  }

  /** Every record of the object, deleted/archived ones included, in id order. */
  public List<JsonNode> records(String customer, String provider, String object) {
    return new ArrayList<>(server.tenant(customer, provider).table(object).select(r -> true));
  }

  /** Records the provider reports as live (what a full refresh must leave not-deleted). */
  public List<JsonNode> live(String customer, String provider, String object) {
    ProviderEmulator api = server.api(provider);
    return new ArrayList<>(server.tenant(customer, provider).table(object).select(r -> !api.isDeleted(object, r)));
  }

  public List<String> liveIds(String customer, String provider, String object) {
    return ids(provider, live(customer, provider, object));
  }

  public List<String> deletedIds(String customer, String provider, String object) {
    ProviderEmulator api = server.api(provider);
    return ids(provider, server.tenant(customer, provider).table(object).select(r -> api.isDeleted(object, r)));
  }

  /** How many records of the object are live, deleted, or either, without generating them: O(writes). */
  public long count(String customer, String provider, String object, Deletion deletion) {
    return server.tenant(customer, provider).table(object).count(deletion);
  }

  public JsonNode get(String customer, String provider, String object, String id) {
    return server.tenant(customer, provider).table(object).get(id);
  }

  public boolean isDeleted(String provider, String object, JsonNode record) {
    return server.api(provider).isDeleted(object, record);
  }

  /** Creates a record from fields in the provider's write shape (Salesforce fields, HubSpot properties, Pipedrive fields). */
  public JsonNode create(String customer, String provider, String object, ObjectNode fields) {
    return server.api(provider).create(server.tenant(customer, provider), object, fields);
  }

  /** Updates a live record; returns it, or null when absent or deleted. */
  public JsonNode update(String customer, String provider, String object, String id, ObjectNode fields) {
    return server.api(provider).update(server.tenant(customer, provider), object, id, fields);
  }

  /** Gives a person record (contact, person) a new first name, as the provider's API applies such a write. */
  public JsonNode renamePerson(String customer, String provider, String object, String id, String firstName) {
    ProviderEmulator api = server.api(provider);
    return api.update(server.tenant(customer, provider), object, id, api.firstNameChange(firstName));
  }

  public boolean delete(String customer, String provider, String object, String id) {
    return server.api(provider).delete(server.tenant(customer, provider), object, id);
  }

  /** Generates {@code count} new records (each with its own, later modification time); returns their ids. */
  public List<String> generate(String customer, String provider, String object, int count) {
    ProviderEmulator api = server.api(provider);
    Tenant tenant = server.tenant(customer, provider);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) ids.add(api.id(api.create(tenant, object, null)));
    return ids;
  }

  /** Bumps the modification time of the first {@code count} live records (id order); returns their ids. */
  public List<String> touch(String customer, String provider, String object, int count) {
    ProviderEmulator api = server.api(provider);
    Tenant tenant = server.tenant(customer, provider);
    List<String> touched = new ArrayList<>();
    for (String id : liveIds(customer, provider, object)) {
      if (touched.size() == count) break;
      api.update(tenant, object, id, Json.object());
      touched.add(id);
    }
    return touched;
  }

  private List<String> ids(String provider, List<? extends JsonNode> records) {
    ProviderEmulator api = server.api(provider);
    List<String> out = new ArrayList<>();
    for (JsonNode r : records) out.add(api.id(r));
    return out;
  }
}
