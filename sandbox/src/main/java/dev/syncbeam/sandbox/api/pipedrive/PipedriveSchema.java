package dev.syncbeam.sandbox.api.pipedrive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.Json;
import java.util.Locale;
import java.util.Random;

/**
 * A sandbox company's pipelines, stages and field definitions. Custom fields get 40-hex keys that
 * differ per company (as in real accounts), so readers must resolve them through the *Fields
 * endpoints rather than hard-code them.
 */
final class PipedriveSchema {
  static final String ADD_TIME = "2024-06-01 09:00:00";

  private PipedriveSchema() {}

  static ObjectNode pipelines() {
    ArrayNode data = Json.array();
    data.addObject().put("id", 1).put("name", "Sales").put("url_title", "sales").put("order_nr", 0).put("active", true)
        .put("deal_probability", true).put("add_time", ADD_TIME).put("update_time", ADD_TIME).put("selected", true);
    data.addObject().put("id", 2).put("name", "Partnerships").put("url_title", "partnerships").put("order_nr", 1).put("active", true)
        .put("deal_probability", true).put("add_time", ADD_TIME).put("update_time", ADD_TIME).put("selected", false);
    return envelope(data);
  }

  static ObjectNode stages() {
    ArrayNode data = Json.array();
    String[][] stages = {{"1", "Qualified", "1", "Sales", "20"}, {"2", "Contact Made", "1", "Sales", "40"}, {"3", "Proposal Made", "1", "Sales", "60"},
        {"4", "Negotiations Started", "1", "Sales", "80"}, {"5", "Intro", "2", "Partnerships", "30"}, {"6", "Signed", "2", "Partnerships", "90"}};
    for (int i = 0; i < stages.length; i++) {
      String[] s = stages[i];
      data.addObject().put("id", Integer.parseInt(s[0])).put("order_nr", i).put("name", s[1]).put("active_flag", true)
          .put("deal_probability", Integer.parseInt(s[4])).put("pipeline_id", Integer.parseInt(s[2])).put("rotten_flag", false)
          .putNull("rotten_days").put("add_time", ADD_TIME).put("update_time", ADD_TIME).put("pipeline_name", s[3])
          .put("pipeline_deal_probability", true);
    }
    return envelope(data);
  }

  /** {@code GET /v1/{dealFields|personFields|organizationFields}}: the standard fields readers use plus the custom ones. */
  static ObjectNode fields(String[] standard, String[][] custom) {
    ArrayNode data = Json.array();
    int id = 9000;
    for (String s : standard) {
      String[] p = s.split(":");
      field(data, ++id, p[0], p[1], p[2], false);
    }
    for (String[] c : custom) field(data, ++id, c[0], c[1], c[2], true);
    return envelope(data);
  }

  private static void field(ArrayNode data, int id, String key, String name, String type, boolean custom) {
    ObjectNode f = data.addObject().put("id", id).put("key", key).put("name", name).put("order_nr", id - 9000).put("field_type", type)
        .put("add_time", ADD_TIME).put("update_time", ADD_TIME).put("active_flag", true).put("edit_flag", custom)
        .put("index_visible_flag", true).put("details_visible_flag", true).put("add_visible_flag", true)
        .put("important_flag", false).put("bulk_edit_allowed", true).put("searchable_flag", custom).put("filtering_allowed", true)
        .put("sortable_flag", true).put("mandatory_flag", false);
    if (type.equals("enum")) {
      ArrayNode options = f.putArray("options");
      options.addObject().put("id", 1).put("label", "Gold");
      options.addObject().put("id", 2).put("label", "Silver");
    }
  }

  static String customKey(Random rnd) {
    StringBuilder key = new StringBuilder(40);
    for (int i = 0; i < 40; i++) key.append(Character.forDigit(rnd.nextInt(16), 16));
    return key.toString().toLowerCase(Locale.ROOT);
  }

  static ObjectNode envelope(ArrayNode data) {
    ObjectNode body = Json.object().put("success", true);
    body.set("data", data);
    return body;
  }
}
