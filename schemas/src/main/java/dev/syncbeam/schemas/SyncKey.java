package dev.syncbeam.schemas;

import java.io.Serializable;

/** One sync: (application, provider, customer, object), the unit of state, runs and tenant scoping. */
public record SyncKey(String applicationId, String provider, String customerId, String object) implements Serializable {
  /** As written on the command line ({@code --only acme/hubspot/contacts}) and in progress lines. */
  public String label() {
    return customerId + "/" + provider + "/" + object;
  }

  @Override
  public String toString() {
    return label();
  }
}
