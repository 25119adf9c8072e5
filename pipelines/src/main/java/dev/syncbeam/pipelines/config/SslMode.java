package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code destination.ssl_mode}: the sslmode values PostgreSQL's clients (pgjdbc among them) take. */
public enum SslMode {
  DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

  /** As written in syncbeam.yaml and passed to the driver ({@code verify-full}). */
  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
