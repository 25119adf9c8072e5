package dev.syncbeam.transforms.model;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * One unit of API reading for one sync: what kind of read (e.g. "queryAll", "bulk-results",
 * "list", "archived", "search") and its parameters (SOQL, a locator, an Id range, a cursor).
 */
public record ApiReadTask(String syncLabel, String kind, TreeMap<String, String> params) implements Serializable {
  public static ApiReadTask of(String syncLabel, String kind, Map<String, String> params) {
    return new ApiReadTask(syncLabel, kind, new TreeMap<>(params));
  }

  public String param(String name) {
    return params.get(name);
  }
}
