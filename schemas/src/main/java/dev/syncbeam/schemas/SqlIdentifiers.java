package dev.syncbeam.schemas;

import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * Every identifier that reaches SQL goes through here: names that come from config or providers
 * are validated and double-quoted, never spliced in raw (invariant 8).
 */
public final class SqlIdentifiers {
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  /** PostgreSQL truncates identifiers past 63 bytes; two objects could then collide in one table. */
  public static final int MAX_LENGTH = 63;

  private SqlIdentifiers() {}

  /** Quotes any identifier (schema names may be mixed case); rejects what PostgreSQL cannot hold. */
  public static String quote(String identifier) {
    if (identifier == null || identifier.isEmpty()) throw new IllegalArgumentException("empty SQL identifier");
    if (identifier.indexOf('\0') >= 0) throw new IllegalArgumentException("SQL identifier contains a NUL byte");
    if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
      throw new IllegalArgumentException("SQL identifier '" + identifier + "' is longer than " + MAX_LENGTH + " bytes");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** A table or column name SyncBeam generates: must be a plain lowercase identifier. */
  public static String checkedName(String name) {
    if (name == null || !TABLE_NAME.matcher(name).matches() || name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("'" + name + "' is not a valid table name (lowercase letters, digits and _; at most "
          + MAX_LENGTH + " characters)");
    }
    return name;
  }

  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** A SQL string literal, for DDL where bind parameters are not allowed (view definitions). */
  public static String literal(String value) {
    if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("SQL literal contains a NUL byte");
    return "'" + value.replace("'", "''") + "'";
  }
}
