package dev.syncbeam.transforms.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncbeam.transforms.extract.ExtractLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;

/**
 * Labels a mapping looks up (pipeline and stage names, custom-field names), loaded in the driver
 * from the sync's extract root and carried by value to the workers. A missing label is no error:
 * the mapping falls back to the id.
 */
public final class CommonLookups implements Serializable {
  public static final CommonLookups NONE = new CommonLookups(Map.of());

  private final TreeMap<String, TreeMap<String, String>> tables = new TreeMap<>();

  public CommonLookups(Map<String, Map<String, String>> tables) {
    tables.forEach((name, entries) -> this.tables.put(name, new TreeMap<>(entries)));
  }

  /** The label for key in the named lookup, or null when unknown. */
  public String label(String table, String key) {
    if (key == null) return null;
    Map<String, String> t = tables.get(table);
    return t == null ? null : t.get(key);
  }

  /** The label for key, or the key itself when there is no label (an unknown stage still says which one). */
  public String labelOrId(String table, String key) {
    String label = label(table, key);
    return label != null ? label : key;
  }

  public Map<String, String> table(String name) {
    Map<String, String> t = tables.get(name);
    return t == null ? Map.of() : Collections.unmodifiableMap(t);
  }

  public boolean isEmpty() {
    return tables.values().stream().allMatch(Map::isEmpty);
  }

  @Override public String toString() {
    StringBuilder sb = new StringBuilder("CommonLookups{");
    tables.forEach((k, v) -> sb.append(k).append('=').append(v.size()).append(' '));
    return sb.append('}').toString();
  }

  /**
   * The JSON responses in one lookup folder ({@code <root>/_stages/} etc.), in name order. A missing
   * folder gives none; an unreadable file is reported and skipped, since lookups only add labels.
   */
  public static List<JsonNode> readResponses(String dir, Consumer<String> warnings) {
    List<MatchResult.Metadata> listed;
    try {
      MatchResult match = FileSystems.match(dir + "/*.json", EmptyMatchTreatment.ALLOW);
      listed = match.status() == MatchResult.Status.NOT_FOUND ? List.of() : match.metadata();
    } catch (IOException | IllegalArgumentException e) {
      warnings.accept("cannot list lookup folder " + dir + ": " + e.getMessage());
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    for (String f : listed.stream().map(m -> m.resourceId().toString()).sorted().toList()) {
      try (InputStream in = ExtractLayout.open(f)) {
        out.add(READER.readTree(in));
      } catch (IOException e) {
        warnings.accept("lookup file " + f + " is not readable JSON (" + e.getClass().getSimpleName()
            + "); its labels fall back to ids");
      }
    }
    return out;
  }

  private static final ObjectMapper READER = new ObjectMapper();
}
