package dev.syncbeam.sandbox.api.hubspot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * The CRM object types of the sandbox portal, their properties (all values travel as strings, as
 * in CRM v3), and the deal pipelines. Contacts keep their modification time in
 * {@code lastmodifieddate}, the others in {@code hs_lastmodifieddate}.
 */
final class HubSpotSchema {
  record ObjectType(String name, String typeId, String modifiedProperty, List<String> defaultProperties, Map<String, String> properties) {}

  static final Map<String, ObjectType> TYPES = new LinkedHashMap<>();
  static final ObjectNode DEAL_PIPELINES = Json.object();

  static {
    add("companies", "0-2", "hs_lastmodifieddate", List.of("name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"),
        "name:string", "domain:string", "industry:enumeration", "address:string", "address2:string", "city:string", "state:string",
        "zip:string", "country:string", "phone:string",
        "website:string", "description:string", "numberofemployees:number", "lifecyclestage:enumeration", "hubspot_owner_id:enumeration",
        "notes_last_updated:datetime", "createdate:datetime", "hs_lastmodifieddate:datetime", "hs_object_id:number");
    add("contacts", "0-1", "lastmodifieddate", List.of("firstname", "lastname", "email", "createdate", "lastmodifieddate", "hs_object_id"),
        "firstname:string", "lastname:string", "email:string", "work_email:string", "phone:string", "mobilephone:string", "fax:string",
        "jobtitle:string", "company:string", "address:string", "city:string", "state:string", "zip:string", "country:string", "lifecyclestage:enumeration", "hubspot_owner_id:enumeration", "notes_last_updated:datetime",
        "createdate:datetime", "lastmodifieddate:datetime", "hs_lastmodifieddate:datetime", "hs_object_id:number");
    add("deals", "0-3", "hs_lastmodifieddate", List.of("dealname", "amount", "dealstage", "pipeline", "closedate", "createdate", "hs_lastmodifieddate", "hs_object_id"),
        "dealname:string", "amount:number", "dealstage:enumeration", "pipeline:enumeration", "closedate:datetime", "description:string",
        "hubspot_owner_id:enumeration", "hs_is_closed_won:bool", "notes_last_updated:datetime", "createdate:datetime",
        "hs_lastmodifieddate:datetime", "hs_object_id:number");
    ArrayNode pipelines = DEAL_PIPELINES.putArray("results");
    pipeline(pipelines, "default", "Sales Pipeline", 0, "appointmentscheduled:Appointment Scheduled:0.2", "qualifiedtobuy:Qualified To Buy:0.4",
        "contractsent:Contract Sent:0.9", "closedwon:Closed Won:1.0", "closedlost:Closed Lost:0.0");
    pipeline(pipelines, "75e28846", "Renewals", 1, "1001:Renewal Due:0.5", "1002:Renewed:1.0", "1003:Churned:0.0");
  }

  private HubSpotSchema() {}

  private static void add(String name, String typeId, String modified, List<String> defaults, String... specs) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String s : specs) props.put(s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 1));
    TYPES.put(name, new ObjectType(name, typeId, modified, defaults, props));
  }

  private static void pipeline(ArrayNode out, String id, String label, int order, String... stages) {
    ObjectNode p = out.addObject().put("label", label).put("displayOrder", order).put("id", id);
    ArrayNode st = p.putArray("stages");
    for (int i = 0; i < stages.length; i++) {
      String[] s = stages[i].split(":");
      ObjectNode stage = st.addObject().put("label", s[1]).put("displayOrder", i);
      stage.putObject("metadata").put("isClosed", String.valueOf(s[2].equals("1.0") || s[2].equals("0.0"))).put("probability", s[2]);
      stage.put("id", s[0]).put("createdAt", "1970-01-01T00:00:00Z").put("updatedAt", "1970-01-01T00:00:00Z")
          .put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT").put("archived", false);
    }
    p.put("createdAt", "1970-01-01T00:00:00Z").put("updatedAt", "1970-01-01T00:00:00Z").put("archived", false);
  }

  /** (pipeline id, stage id) pairs deals are spread over. */
  static List<String[]> dealStages() {
    List<String[]> out = new ArrayList<>();
    DEAL_PIPELINES.get("results").forEach(p -> p.get("stages").forEach(s -> out.add(new String[] {p.get("id").asText(), s.get("id").asText()})));
    return out;
  }

  /** {@code GET /crm/v3/properties/{type}}. */
  static ObjectNode properties(ObjectType type) {
    ObjectNode body = Json.object();
    ArrayNode results = body.putArray("results");
    int order = 0;
    for (Map.Entry<String, String> p : type.properties().entrySet()) {
      String fieldType = switch (p.getValue()) {
        case "datetime" -> "date";
        case "enumeration" -> "select";
        case "bool" -> "booleancheckbox";
        case "number" -> "number";
        default -> "text";
      };
      results.addObject().put("updatedAt", "2024-01-01T00:00:00Z").put("createdAt", "2020-01-01T00:00:00Z").put("name", p.getKey())
          .put("label", p.getKey()).put("type", p.getValue()).put("fieldType", fieldType).put("description", "")
          .put("groupName", type.name().replaceAll("s$", "") + "information").put("displayOrder", order++).put("calculated", false)
          .put("externalOptions", false).put("hasUniqueValue", p.getKey().equals("hs_object_id")).put("hidden", false)
          .put("hubspotDefined", true).put("formField", true).set("options", Json.array());
    }
    return body;
  }
}
