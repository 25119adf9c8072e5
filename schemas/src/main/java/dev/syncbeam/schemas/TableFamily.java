package dev.syncbeam.schemas;

/** The three shapes of destination table that hold provider records. */
public enum TableFamily {
  /** {@code {provider}_{slug(object)}}: one provider-native object, raw. */
  STANDARD,
  /** {@code custom_objects}: every custom object of every provider, keyed also by object name. */
  CUSTOM,
  /** {@code crm_*}: the unified common-object model. */
  COMMON
}
