package dev.syncbeam.transforms.providers.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.Address;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.CommonObjectWrites;
import dev.syncbeam.transforms.providers.UnifiedWrite;
import dev.syncbeam.transforms.providers.WriteBody;
import dev.syncbeam.transforms.providers.WriteRefusedException;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unified accounts, contacts and opportunities to HubSpot CRM v3 object writes. Every property
 * value is a string and null is sent as {@code ''} (HubSpot's way of clearing); a contact's or
 * deal's account is an association to that company. HubSpot has no lead object.
 */
public final class HubSpotWrites implements CommonObjectWrites {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<CommonObject, String> TYPES = Map.of(CommonObject.ACCOUNTS, "companies",
      CommonObject.CONTACTS, "contacts", CommonObject.OPPORTUNITIES, "deals");
  /** HubSpot-defined association types: contact → primary company, deal → company. */
  static final int CONTACT_TO_COMPANY = 1;
  static final int DEAL_TO_COMPANY = 5;
  private static final Map<CommonObject, Set<String>> WRITABLE = Map.of(
      CommonObject.ACCOUNTS, Set.of("name", "description", "industry", "website", "number_of_employees", "lifecycle_stage",
          "owner_id", "phone_numbers", "addresses", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.CONTACTS, Set.of("first_name", "last_name", "lifecycle_stage", "owner_id", "email_addresses", "phone_numbers",
          "addresses", "account_id", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.OPPORTUNITIES, Set.of("name", "description", "amount", "close_date", "owner_id", "pipeline", "stage",
          "account_id", UnifiedWrite.CUSTOM_FIELDS));

  @Override public Set<String> writableFields(CommonObject object) {
    return WRITABLE.getOrDefault(object, Set.of());
  }

  @Override public String create(CommonObject object, UnifiedWrite record, ApiClient client) throws IOException {
    String type = type(object);
    ObjectNode request = NODES.objectNode();
    request.set("properties", properties(record, pipelinesFor(record, client)));
    String company = record.text("account_id");
    if (company != null) {
      ObjectNode association = request.putArray("associations").addObject();
      association.putObject("to").put("id", company);
      association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
          .put("associationTypeId", object == CommonObject.CONTACTS ? CONTACT_TO_COMPANY : DEAL_TO_COMPANY);
    }
    return created(type, client.postJson("/crm/v3/objects/" + type, request));
  }

  @Override public void update(CommonObject object, String id, UnifiedWrite record, ApiClient client) throws IOException {
    String type = type(object);
    ObjectNode properties = properties(record, pipelinesFor(record, client));
    String company = record.text("account_id");
    // the association (v4 default type) goes first: it is the part HubSpot refuses for an unknown
    // company, and refused before the properties it leaves nothing half-written
    if (company != null) client.putJson("/crm/v4/objects/" + type + "/" + pathId(id) + "/associations/default/companies/" + pathId(company), List.of());
    patch(type, id, properties, client);
  }

  /** {@code fields} are the record's properties. */
  @Override public String createRecord(String object, ObjectNode fields, ApiClient client) throws IOException {
    String type = HubSpotApi.objectType(HubSpotApi.typeName(object), client);
    ObjectNode request = NODES.objectNode();
    request.set("properties", fields);
    return created(type, client.postJson("/crm/v3/objects/" + type, request));
  }

  @Override public void updateRecord(String object, String id, ObjectNode fields, ApiClient client) throws IOException {
    patch(HubSpotApi.objectType(HubSpotApi.typeName(object), client), id, fields, client);
  }

  private static String created(String type, JsonNode answer) throws ApiException {
    String id = answer.path("id").asText(null);
    if (id == null) throw new ApiException(0, "hubspot created a " + type + " record but answered with no id");
    return id;
  }

  private static void patch(String type, String id, ObjectNode properties, ApiClient client) throws IOException {
    ObjectNode request = NODES.objectNode();
    request.set("properties", properties);
    client.patchJson("/crm/v3/objects/" + type + "/" + pathId(id), request);
  }

  /** Owners from the owners API; records with every property the sync asks for, and company associations where it reads them. */
  @Override public JsonNode readRecord(String object, String id, ApiClient client) throws IOException {
    if (object.equals("owners")) return client.getJson("/crm/v3/owners/" + pathId(id), Map.of("archived", "false"));
    String type = HubSpotApi.objectType(HubSpotApi.typeName(object), client);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("archived", "false");
    query.put("properties", String.join(",", HubSpotApi.properties(type, client)));
    if (HubSpotApi.WITH_COMPANIES.contains(object)) query.put("associations", "companies");
    return client.getJson("/crm/v3/objects/" + type + "/" + pathId(id), query);
  }

  /** One page of the live listing the sync reads (owners, or records with every property and their companies); HubSpot's own cursor. */
  @Override public LivePage listPage(String object, String cursor, int pageSize, ApiClient client) throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("archived", "false");
    query.put("limit", String.valueOf(pageSize));
    if (cursor != null) query.put("after", cursor);
    String path = "/crm/v3/owners";
    if (!object.equals("owners")) {
      String type = HubSpotApi.objectType(HubSpotApi.typeName(object), client);
      query.put("properties", String.join(",", HubSpotApi.properties(type, client)));
      if (HubSpotApi.WITH_COMPANIES.contains(object)) query.put("associations", "companies");
      path = "/crm/v3/objects/" + type;
    }
    JsonNode page = client.getJson(path, query);
    List<JsonNode> records = new ArrayList<>();
    page.path("results").forEach(records::add);
    return new LivePage(records, page.path("paging").path("next").path("after").asText(null));
  }

  private static final Map<CommonObject, Map<String, String>> MATCH_PROPERTIES = Map.of(
      CommonObject.CONTACTS, Map.of("email", "email"), CommonObject.ACCOUNTS, Map.of("domain", "domain", "website", "website"));

  @Override public Set<String> matchKeys(CommonObject object) {
    return MATCH_PROPERTIES.getOrDefault(object, Map.of()).keySet();
  }

  /** CRM search, one EQ filter on the key's property (search never returns archived records). */
  @Override public List<String> find(CommonObject object, String key, String value, ApiClient client) throws IOException {
    String property = MATCH_PROPERTIES.getOrDefault(object, Map.of()).get(key);
    if (property == null) return CommonObjectWrites.super.find(object, key, value, client);
    ObjectNode search = NODES.objectNode();
    search.putArray("filterGroups").addObject().putArray("filters").addObject().put("propertyName", property).put("operator", "EQ")
        .put("value", value);
    search.putArray("properties").add("hs_object_id");
    search.put("limit", 10);
    List<String> ids = new ArrayList<>();
    for (JsonNode r : client.postJson("/crm/v3/objects/" + type(object) + "/search", search).path("results")) ids.add(r.path("id").asText());
    return ids;
  }

  private static String type(CommonObject object) {
    return CommonObjectWrites.writtenAs(TYPES, "hubspot", object);
  }

  /** HubSpot ids are numbers; anything else would change the path. */
  private static String pathId(String id) {
    if (id == null || !id.matches("[0-9]+")) throw new WriteRefusedException("'" + id + "' is not a HubSpot record id");
    return id;
  }

  /** Deal pipeline and stage resolution needs the pipelines; nothing else does. */
  private static JsonNode pipelinesFor(UnifiedWrite r, ApiClient client) throws IOException {
    if (r.object() != CommonObject.OPPORTUNITIES || (!r.has("pipeline") && !r.has("stage"))) return NODES.objectNode();
    return client.getJson("/crm/v3/pipelines/deals", Map.of());
  }

  /**
   * The properties of a create or update. {@code pipelines} is the {@code /crm/v3/pipelines/deals}
   * answer (only opportunities that name a pipeline or stage need it).
   */
  public static ObjectNode properties(UnifiedWrite r, JsonNode pipelines) {
    WriteBody b = WriteBody.strings(r);
    switch (r.object()) {
      case ACCOUNTS -> {
        b.field("name", "name").field("description", "description").field("industry", "industry").field("website", "website")
            .field("numberofemployees", "number_of_employees").field("lifecyclestage", "lifecycle_stage")
            .field("hubspot_owner_id", "owner_id").fromList("phone_numbers", "phone", r.phone("primary"));
        address(b, r);
      }
      case CONTACTS -> {
        b.field("firstname", "first_name").field("lastname", "last_name").field("lifecyclestage", "lifecycle_stage")
            .field("hubspot_owner_id", "owner_id")
            .fromList("email_addresses", "email", r.email("primary")).fromList("email_addresses", "work_email", r.email("work"))
            .fromList("phone_numbers", "phone", r.phone("primary")).fromList("phone_numbers", "mobilephone", r.phone("mobile"))
            .fromList("phone_numbers", "fax", r.phone("fax"));
        address(b, r);
      }
      case OPPORTUNITIES -> {
        b.field("dealname", "name").field("description", "description").field("amount", "amount").field("closedate", "close_date")
            .field("hubspot_owner_id", "owner_id");
        DealPipeline resolved = resolve(pipelines, r.text("pipeline"), r.text("stage"));
        if (r.has("pipeline")) b.put("pipeline", resolved.pipelineId());
        if (r.has("stage")) b.put("dealstage", resolved.stageId());
      }
      case LEADS -> throw new WriteRefusedException("HubSpot has no leads: leads cannot be written to hubspot");
      default -> throw CommonObjectWrites.notWritable("hubspot", r.object());
    }
    return b.withCustomFields();
  }

  private static void address(WriteBody b, UnifiedWrite r) {
    Address a = r.has("addresses") ? r.address("primary") : null;
    b.fromList("addresses", "address", a == null ? null : a.street1()).fromList("addresses", "city", a == null ? null : a.city())
        .fromList("addresses", "state", a == null ? null : a.state()).fromList("addresses", "zip", a == null ? null : a.postalCode())
        .fromList("addresses", "country", a == null ? null : a.country());
  }

  /** A deal's pipeline and stage ids; null where the request named none. */
  record DealPipeline(String pipelineId, String stageId) {}

  /**
   * Each value may be an id or a label. The stage is looked up inside the named pipeline, or in
   * every pipeline when the request names none.
   */
  static DealPipeline resolve(JsonNode pipelines, String pipeline, String stage) {
    JsonNode found = null;
    if (pipeline != null) {
      for (JsonNode p : pipelines.path("results")) {
        if (pipeline.equals(p.path("id").asText(null)) || pipeline.equals(p.path("label").asText(null))) {
          found = p;
          break;
        }
      }
      if (found == null) throw new WriteRefusedException("Pipeline not found: " + pipeline);
    }
    String stageId = null;
    if (stage != null) {
      for (JsonNode p : found != null ? List.of(found) : pipelines.path("results")) {
        for (JsonNode s : p.path("stages")) {
          if (stage.equals(s.path("id").asText(null)) || stage.equals(s.path("label").asText(null))) {
            stageId = s.path("id").asText();
            break;
          }
        }
        if (stageId != null) break;
      }
      if (stageId == null) throw new WriteRefusedException("Stage not found: " + stage);
    }
    return new DealPipeline(found == null ? null : found.path("id").asText(), stageId);
  }
}
