package dev.syncbeam.pipelines.serve;

/** One entry of a response's {@code warnings}: the request was done, with this said about it. */
public record Warning(String title, String detail) {
  static final String CACHE_NOT_UPDATED = "cache not updated";

  static Warning ignoredField(String field, String provider, String object) {
    return new Warning("field ignored", field + " cannot be written to " + provider + " " + object + "; it was not sent");
  }
}
