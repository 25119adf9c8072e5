package dev.syncbeam.schemas.bookkeeping;

/** {@code _syncbeam_sync_runs.status}: a run is in progress until it ends one way or the other. */
public enum RunStatus {
  IN_PROGRESS,
  SUCCESS,
  FAILURE
}
