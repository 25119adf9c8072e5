package dev.syncbeam.runners;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated HubSpot extract: per object, a list of files, each a list of records, written as
 * CRM v3 list pages ({@code .json}) or NDJSON of bare records. Keeps what it wrote so a test can
 * work out what must land.
 */
final class HubSpotExtract {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One HubSpot record version; {@code archivedAt} is set only for archived ones. */
  record Rec(String id, Instant createdAt, Instant updatedAt, boolean archived, Instant archivedAt, Map<String, String> properties) {
    /** What SyncBeam takes as the record's last modification (HubSpotRecords.lastModified). */
    Instant lastModified() {
      return archivedAt != null && archivedAt.isAfter(updatedAt) ? archivedAt : updatedAt;
    }

    ObjectNode json() {
      ObjectNode n = JSON.createObjectNode();
      n.put("id", id);
      ObjectNode props = n.putObject("properties");
      properties.forEach(props::put);
      props.put("hs_object_id", id);
      n.put("createdAt", createdAt.toString());
      n.put("updatedAt", updatedAt.toString());
      n.put("archived", archived);
      if (archivedAt != null) n.put("archivedAt", archivedAt.toString());
      return n;
    }
  }

  /** A file of an object folder: its name (the extension picks the format), records, and raw lines that are not records. */
  record ExtractFile(String name, List<Rec> records, List<String> brokenLines) {}

  private final Map<String, List<ExtractFile>> objects = new LinkedHashMap<>();

  HubSpotExtract add(String object, String fileName, List<Rec> records) {
    return add(object, fileName, records, List.of());
  }

  HubSpotExtract add(String object, String fileName, List<Rec> records, List<String> brokenLines) {
    objects.computeIfAbsent(object, o -> new ArrayList<>()).add(new ExtractFile(fileName, records, brokenLines));
    return this;
  }

  List<ExtractFile> files(String object) {
    return objects.get(object);
  }

  /** Every record version of the object, in file order. */
  List<Rec> records(String object) {
    return objects.get(object).stream().flatMap(f -> f.records().stream()).toList();
  }

  long brokenLines(String object) {
    return objects.get(object).stream().mapToLong(f -> f.brokenLines().size()).sum();
  }

  /** Writes {@code root/<object>/<file>} for every file. */
  Path writeTo(Path root) throws IOException {
    for (Map.Entry<String, List<ExtractFile>> o : objects.entrySet()) {
      Path dir = Files.createDirectories(root.resolve(o.getKey()));
      for (ExtractFile f : o.getValue()) {
        try (Writer w = Files.newBufferedWriter(dir.resolve(f.name()), StandardCharsets.UTF_8)) {
          if (f.name().endsWith(".ndjson")) {
            for (Rec r : f.records()) w.write(JSON.writeValueAsString(r.json()) + "\n");
            for (String line : f.brokenLines()) w.write(line + "\n");
          } else {
            ObjectNode page = JSON.createObjectNode();
            ArrayNode results = page.putArray("results");
            f.records().forEach(r -> results.add(r.json()));
            page.putObject("paging").putObject("next").put("after", f.name());
            JSON.writerWithDefaultPrettyPrinter().writeValue(w, page);
          }
        }
      }
    }
    return root;
  }
}
