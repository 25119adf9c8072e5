package dev.syncbeam.sandbox.api;

/** Which records a read wants by their deleted (archived) state. */
public enum Deletion {
  ANY, LIVE, DELETED;

  public boolean accepts(boolean deleted) {
    return switch (this) {
      case ANY -> true;
      case LIVE -> !deleted;
      case DELETED -> deleted;
    };
  }
}
