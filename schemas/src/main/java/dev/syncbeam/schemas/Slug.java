package dev.syncbeam.schemas;

import java.util.Locale;

/** Supaglue's table-name slug: lowercase, runs of spaces/underscores become one {@code _}, other punctuation is dropped. */
public final class Slug {
  private Slug() {}

  public static String of(String name) {
    if (name == null) throw new IllegalArgumentException("object name is missing");
    // drop punctuation first, so separators it stood between still collapse into one
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\s]", "").replaceAll("[\\s_]+", "_");
    if (s.isEmpty() || s.equals("_")) {
      throw new IllegalArgumentException("object name '" + name + "' has no letters or digits to name a table after");
    }
    return s;
  }
}
