package dev.syncbeam.pipelines;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Small provider-shaped records and response pages for tests, in the providers' own envelopes. */
final class Pages {
  private Pages() {}

  static String hubspotContact(String id, String updatedAt, boolean archived, String email) {
    return "{\"id\":\"" + id + "\",\"properties\":{\"email\":\"" + email + "\",\"firstname\":\"F" + id + "\"},"
        + "\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"updatedAt\":\"" + updatedAt + "\",\"archived\":" + archived
        + (archived ? ",\"archivedAt\":\"" + updatedAt + "\"" : "") + "}";
  }

  static String hubspotPage(String... records) {
    return "{\"results\":[" + String.join(",", records) + "]}";
  }

  static String salesforceAccount(String id, String modstamp, boolean deleted, String name) {
    return "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"" + id + "\",\"Name\":\"" + name + "\",\"IsDeleted\":" + deleted
        + ",\"SystemModstamp\":\"" + modstamp + "\"}";
  }

  static String salesforcePage(String... records) {
    return "{\"totalSize\":" + records.length + ",\"done\":true,\"records\":[" + String.join(",", records) + "]}";
  }

  static String pipedrivePerson(int id, String updateTime, String deleteTime) {
    return "{\"id\":" + id + ",\"name\":\"P" + id + "\",\"update_time\":\"" + updateTime + "\",\"delete_time\":"
        + (deleteTime == null ? "null" : "\"" + deleteTime + "\"") + ",\"active_flag\":" + (deleteTime == null) + "}";
  }

  static String pipedrivePage(String... records) {
    return "{\"success\":true,\"data\":[" + String.join(",", records)
        + "],\"additional_data\":{\"pagination\":{\"start\":0,\"limit\":100,\"more_items_in_collection\":false}}}";
  }

  static String ndjson(String... records) {
    return Arrays.stream(records).collect(Collectors.joining("\n", "", "\n"));
  }
}
