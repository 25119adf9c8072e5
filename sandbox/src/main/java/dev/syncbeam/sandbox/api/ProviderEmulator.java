package dev.syncbeam.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One provider's emulator: seeds a tenant's dataset, serves its read and write endpoints, and
 * answers errors in the provider's own error shape. Writes are also offered to Java callers
 * (through {@link SandboxDataset}) so tests and the demo change data exactly as a client would.
 */
public interface ProviderEmulator {
  String provider();

  /**
   * Sets up the tenant's objects and reference data. Records are generated on demand from
   * {@code seed} and their index, so the same seed always gives the same dataset.
   */
  void seed(Tenant tenant, long seed, int recordsPerObject);

  ApiResponse handle(Tenant tenant, ApiRequest request);

  /** What the request asks for, for the request counters and the rate limits. */
  EndpointKind kind(ApiRequest request);

  /** One tenant's limits as this provider enforces them. */
  RateLimiter rateLimiter(RateLimits limits);

  /** The provider's error envelope for a status (401, 429, 500...). */
  JsonNode errorBody(int status, String message);

  /** Extra fields of the oauth/token answer (Salesforce adds {@code instance_url}). */
  default void completeTokenResponse(Tenant tenant, ObjectNode response) {}

  /** The objects a tenant of this provider has, in the names the API uses. */
  List<String> objects();

  /** Creates a record; {@code fields} in the provider's write shape, or null for a generated one. */
  ObjectNode create(Tenant tenant, String object, ObjectNode fields);

  /** Updates a live record (an empty {@code fields} just bumps its modification time); null if absent. */
  ObjectNode update(Tenant tenant, String object, String id, ObjectNode fields);

  /** Deletes the provider's way (IsDeleted, archived, delete_time); false if absent or already deleted. */
  boolean delete(Tenant tenant, String object, String id);

  /** The write body, in this provider's shape, that gives a person record (contact, person) a new first name. */
  ObjectNode firstNameChange(String firstName);

  boolean isDeleted(String object, JsonNode record);

  /** The record's id as the API spells it. */
  String id(JsonNode record);
}
