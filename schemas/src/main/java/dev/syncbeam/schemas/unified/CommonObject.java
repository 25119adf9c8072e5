package dev.syncbeam.schemas.unified;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The unified CRM objects, each landing in its own {@code crm_*} table whatever the provider. */
public enum CommonObject {
  ACCOUNTS,
  CONTACTS,
  LEADS,
  OPPORTUNITIES,
  USERS;

  /** As written in config and in the unified API's paths: {@code accounts}, {@code contacts}, ... */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code crm_accounts}, ... */
  public String table() {
    return "crm_" + value();
  }

  public static Optional<CommonObject> find(String value) {
    return Arrays.stream(values()).filter(c -> c.value().equals(value)).findFirst();
  }

  /** Throws {@link IllegalArgumentException} naming the value and the ones there are. */
  public static CommonObject of(String value) {
    return find(value).orElseThrow(() -> new IllegalArgumentException("unknown common object '" + value + "' (expected one of "
        + Arrays.stream(values()).map(CommonObject::value).collect(Collectors.joining(", ")) + ")"));
  }

  /** The common object whose table this is, if it is one. */
  public static Optional<CommonObject> ofTable(String table) {
    return table.startsWith("crm_") ? find(table.substring(4)) : Optional.empty();
  }

  @Override
  public String toString() {
    return value();
  }
}
