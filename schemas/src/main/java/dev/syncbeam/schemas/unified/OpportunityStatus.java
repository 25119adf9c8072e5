package dev.syncbeam.schemas.unified;

/** {@code crm_opportunities.status}. */
public enum OpportunityStatus {
  OPEN,
  WON,
  LOST
}
