package dev.syncbeam.schemas.bookkeeping;

import java.util.Locale;

/**
 * {@code _syncbeam_sync_state.object_type}: what kind of provider object a sync reads, as Supaglue's
 * webhooks and management API name it. A sync that feeds a common object reads a standard one.
 */
public enum ObjectType {
  STANDARD,
  CUSTOM;

  /** As stored and sent. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A stored value; null (a sync last planned before the column existed) reads as standard. */
  public static ObjectType of(String stored) {
    for (ObjectType t : values()) {
      if (t.value().equals(stored)) return t;
    }
    if (stored == null) return STANDARD;
    throw new IllegalArgumentException("unknown object type '" + stored + "' (standard or custom)");
  }
}
