package dev.syncbeam.transforms.model;

import java.io.Serializable;

/**
 * One unit of API reading for one sync, as its provider's reader planned it: a typed record of
 * that provider's (a Salesforce query, a HubSpot search, a Pipedrive recents listing, ...), so a
 * cluster can spread one sync's tasks over workers. Each provider seals its own task types.
 */
public interface ApiReadTask extends Serializable {
  String syncLabel();

  /** What the task reads, for progress and error messages ("search contacts changed since ..."). */
  String describe();
}
