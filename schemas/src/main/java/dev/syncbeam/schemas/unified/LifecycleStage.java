package dev.syncbeam.schemas.unified;

import java.util.Locale;

/** {@code lifecycle_stage}; stored as the lowercase name (HubSpot's own values). */
public enum LifecycleStage {
  SUBSCRIBER, LEAD, MARKETINGQUALIFIEDLEAD, SALESQUALIFIEDLEAD, OPPORTUNITY, CUSTOMER, EVANGELIST, OTHER;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stage a provider value names, or null when it names none (the caller counts that as a coercion). */
  public static LifecycleStage parse(String value) {
    if (value == null) return null;
    for (LifecycleStage s : values()) {
      if (s.value().equalsIgnoreCase(value.trim())) return s;
    }
    return null;
  }
}
