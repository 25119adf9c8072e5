package dev.syncbeam.schemas;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** One sync: (application, provider, customer, object), the unit of state, runs and tenant scoping. */
public record SyncKey(String applicationId, String provider, String customerId, String object) implements Serializable {
  /** As written on the command line ({@code --only acme/hubspot/contacts}) and in progress lines. */
  public String label() {
    return customerId + "/" + provider + "/" + object;
  }

  /**
   * A stable id of the (application, customer, provider) connection, as Supaglue's webhook receivers
   * expect a {@code connection_id}: the same for every object of the pair, on every machine.
   */
  public String connectionId() {
    return UUID.nameUUIDFromBytes(("syncbeam-connection\0" + applicationId + "\0" + customerId + "\0" + provider)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A stable id of the sync itself, for the management API. */
  public String syncId() {
    return UUID.nameUUIDFromBytes(("syncbeam-sync\0" + applicationId + "\0" + customerId + "\0" + provider + "\0" + object)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public String toString() {
    return label();
  }
}
