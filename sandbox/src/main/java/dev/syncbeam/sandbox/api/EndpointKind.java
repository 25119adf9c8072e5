package dev.syncbeam.sandbox.api;

/** What a request to an emulator asks for, as request counters tell them apart. */
public enum EndpointKind {
  /** A page of an object's records (HubSpot and Pipedrive lists, HubSpot owners). */
  LIST,
  /** HubSpot CRM search. */
  SEARCH,
  /** Salesforce query/queryAll, first pages and cursor pages. */
  QUERY,
  /** Salesforce Bulk 2.0 query jobs: creation, status polls, result chunks. */
  BULK,
  /** Pipedrive /v1/recents. */
  RECENTS,
  /** HubSpot company associations batch reads. */
  ASSOCIATIONS,
  /** One record by id. */
  RECORD,
  /** Creates, updates, deletes, restores. */
  WRITE,
  /** Describe, properties, fields, pipelines, stages, schemas. */
  METADATA,
  /** The OAuth token endpoint. */
  TOKEN
}
