package dev.syncbeam.transforms.providers.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.EmailAddress;
import dev.syncbeam.schemas.unified.PhoneNumber;
import dev.syncbeam.transforms.providers.CommonObjectWrites;
import dev.syncbeam.transforms.providers.FieldReader;
import dev.syncbeam.transforms.providers.UnifiedWrite;
import dev.syncbeam.transforms.providers.WriteBody;
import dev.syncbeam.transforms.providers.WriteRefusedException;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unified contacts, accounts, opportunities and leads to Pipedrive v1 writes (persons,
 * organizations, deals, leads; updates are PUT, leads PATCH). References are integer ids; custom
 * fields are given by their field name and sent under the field's key, option labels as option ids.
 */
public final class PipedriveWrites implements CommonObjectWrites {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<CommonObject, String> OBJECTS = Map.of(CommonObject.CONTACTS, "persons",
      CommonObject.ACCOUNTS, "organizations", CommonObject.OPPORTUNITIES, "deals", CommonObject.LEADS, "leads");
  /** Leads share the deal fields. */
  private static final Map<CommonObject, String> FIELDS_API = Map.of(CommonObject.CONTACTS, "personFields",
      CommonObject.ACCOUNTS, "organizationFields", CommonObject.OPPORTUNITIES, "dealFields", CommonObject.LEADS, "dealFields");
  private static final Map<CommonObject, Set<String>> WRITABLE = Map.of(
      CommonObject.CONTACTS, Set.of("first_name", "last_name", "email_addresses", "phone_numbers", "account_id", "owner_id",
          UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.ACCOUNTS, Set.of("name", "owner_id", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.OPPORTUNITIES, Set.of("name", "amount", "account_id", "owner_id", "pipeline", "stage", "close_date",
          UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.LEADS, Set.of("title", "owner_id", "converted_contact_id", "converted_account_id", UnifiedWrite.CUSTOM_FIELDS));
  public static final String NO_NAME = "Either first_name or last_name must be provided";
  public static final String NO_LINK = "Either converted_contact_id or converted_account_id must be provided";

  /** What a body needs from the account: pipelines, stages and custom field definitions (v1 responses), as needed. */
  public record Lookups(JsonNode pipelines, JsonNode stages, JsonNode fields) {
    public static final Lookups NONE = new Lookups(NODES.objectNode(), NODES.objectNode(), NODES.objectNode());
  }

  @Override public Set<String> writableFields(CommonObject object) {
    return WRITABLE.getOrDefault(object, Set.of());
  }

  @Override public String create(CommonObject object, UnifiedWrite record, ApiClient client) throws IOException {
    return createRecord(object(object), body(record, true, lookups(record, client)), client);
  }

  @Override public void update(CommonObject object, String id, UnifiedWrite record, ApiClient client) throws IOException {
    // Pipedrive writes a person's one name field: an update naming half of it keeps the other half
    JsonNode current = object == CommonObject.CONTACTS && record.has("first_name") != record.has("last_name")
        ? readRecord("persons", id, client) : null;
    updateRecord(object(object), id, body(record, false, lookups(record, client), current), client);
  }

  @Override public String createRecord(String object, ObjectNode fields, ApiClient client) throws IOException {
    JsonNode id = client.postJson("/v1/" + name(object), fields).path("data").path("id");
    if (id.isMissingNode() || id.isNull()) throw new ApiException(0, "pipedrive created a " + object + " item but answered with no id");
    return id.asText();
  }

  /** Leads are updated with PATCH, every other item with PUT. */
  @Override public void updateRecord(String object, String id, ObjectNode fields, ApiClient client) throws IOException {
    String path = "/v1/" + name(object) + "/" + pathId(object, id);
    if (object.equals("leads")) client.patchJson(path, fields);
    else client.putJson(path, fields);
  }

  @Override public JsonNode readRecord(String object, String id, ApiClient client) throws IOException {
    JsonNode data = client.getJson("/v1/" + name(object) + "/" + pathId(object, id), Map.of()).path("data");
    if (!data.isObject()) throw new ApiException(404, "pipedrive has no " + object + " item " + id);
    return data;
  }

  /** start/limit paging of the live items; the cursor is the next start. */
  @Override public LivePage listPage(String object, String cursor, int pageSize, ApiClient client) throws IOException {
    String start = cursor == null ? "0" : cursor;
    if (!start.matches("[0-9]+")) throw new WriteRefusedException("'" + cursor + "' is not a Pipedrive list position");
    JsonNode page = client.getJson("/v1/" + name(object), Map.of("start", start, "limit", String.valueOf(pageSize)));
    List<JsonNode> records = new ArrayList<>();
    page.path("data").forEach(records::add);
    JsonNode pagination = page.path("additional_data").path("pagination");
    boolean more = pagination.path("more_items_in_collection").asBoolean(false) && pagination.hasNonNull("next_start");
    return new LivePage(records, more ? pagination.get("next_start").asText() : null);
  }

  @Override public Set<String> matchKeys(CommonObject object) {
    return object == CommonObject.CONTACTS ? Set.of("email") : Set.of();
  }

  /** {@code GET /v1/persons/search} on the email field, exact matches only. */
  @Override public List<String> find(CommonObject object, String key, String value, ApiClient client) throws IOException {
    if (object != CommonObject.CONTACTS || !key.equals("email")) return CommonObjectWrites.super.find(object, key, value, client);
    JsonNode found = client.getJson("/v1/persons/search", Map.of("term", value, "fields", "email", "exact_match", "true", "limit", "10"));
    List<String> ids = new ArrayList<>();
    for (JsonNode i : found.path("data").path("items")) ids.add(i.path("item").path("id").asText());
    return ids;
  }

  private static String object(CommonObject object) {
    return CommonObjectWrites.writtenAs(OBJECTS, "pipedrive", object);
  }

  /** Item names go into URL paths. */
  private static String name(String object) {
    if (object == null || !object.matches("[A-Za-z0-9_]+")) throw new WriteRefusedException("'" + object + "' is not a Pipedrive item type");
    return object;
  }

  /** Item ids are integers; lead ids are UUIDs. */
  private static String pathId(String object, String id) {
    boolean ok = id != null && (object.equals("leads") ? id.matches("[0-9a-fA-F-]+") : id.matches("[0-9]+"));
    if (!ok) throw new WriteRefusedException("'" + id + "' is not a Pipedrive " + object + " id");
    return id;
  }

  /** Only what the body needs is fetched: stages and pipelines for a deal naming them, field definitions for custom fields. */
  private static Lookups lookups(UnifiedWrite r, ApiClient client) throws IOException {
    boolean deal = r.object() == CommonObject.OPPORTUNITIES && (r.has("pipeline") || r.has("stage"));
    boolean custom = !r.customFields().isEmpty();
    if (!deal && !custom) return Lookups.NONE;
    return new Lookups(deal ? all("/v1/pipelines", client) : NODES.objectNode(), deal ? all("/v1/stages", client) : NODES.objectNode(),
        custom ? all("/v1/" + FIELDS_API.get(r.object()), client) : NODES.objectNode());
  }

  /** Every page of a v1 listing, as one response whose data holds all entries. */
  private static JsonNode all(String path, ApiClient client) throws IOException {
    ArrayNode data = NODES.arrayNode();
    long start = 0;
    while (true) {
      JsonNode page = client.getJson(path, Map.of("start", String.valueOf(start), "limit", "500"));
      page.path("data").forEach(data::add);
      JsonNode pagination = page.path("additional_data").path("pagination");
      long next = pagination.path("next_start").asLong(-1);
      if (!pagination.path("more_items_in_collection").asBoolean(false) || next <= start) break;
      start = next;
    }
    ObjectNode out = NODES.objectNode();
    out.set("data", data);
    return out;
  }

  /** The body of a create ({@code create}) or update. */
  public static ObjectNode body(UnifiedWrite r, boolean create, Lookups lookups) {
    return body(r, create, lookups, null);
  }

  /** As above; {@code current} (the person as Pipedrive has it, or null) gives the half of a name an update leaves out. */
  public static ObjectNode body(UnifiedWrite r, boolean create, Lookups lookups, JsonNode current) {
    WriteBody b = WriteBody.typed(r);
    switch (r.object()) {
      case CONTACTS -> {
        String first = r.has("first_name") || current == null ? r.text("first_name") : current.path("first_name").asText(null);
        String last = r.has("last_name") || current == null ? r.text("last_name") : current.path("last_name").asText(null);
        String name = FieldReader.joined(first, last);
        if (name != null) b.put("name", name);
        else if (create) throw new WriteRefusedException(NO_NAME);
        if (r.has("email_addresses")) {
          ArrayNode emails = NODES.arrayNode();
          for (EmailAddress e : r.emailAddresses()) emails.addObject().put("label", e.emailAddressType()).put("value", e.emailAddress());
          b.put("email", emails);
        }
        if (r.has("phone_numbers")) {
          ArrayNode phones = NODES.arrayNode();
          for (PhoneNumber p : r.phoneNumbers()) phones.addObject().put("label", p.phoneNumberType()).put("value", p.phoneNumber());
          b.put("phone", phones);
        }
        reference(b, r, "org_id", "account_id");
        reference(b, r, "owner_id", "owner_id");
      }
      case ACCOUNTS -> {
        b.field("name", "name");
        b.field("owner_id", "owner_id");
      }
      case OPPORTUNITIES -> {
        b.field("title", "name");
        if (r.has("amount")) b.put("value", r.value("amount") == null ? null : NODES.textNode(r.value("amount").asText()));
        reference(b, r, "org_id", "account_id");
        reference(b, r, "user_id", "owner_id");
        stage(b, r, lookups);
        if (r.has("close_date")) {
          // fixed: Supaglue dropped the close date
          b.put("expected_close_date", r.instant("close_date") == null ? null : r.instant("close_date").toString().substring(0, 10));
        }
      }
      case LEADS -> {
        b.field("title", "title");
        reference(b, r, "owner_id", "owner_id");
        if (create && r.text("converted_contact_id") == null && r.text("converted_account_id") == null) {
          throw new WriteRefusedException(NO_LINK);
        }
        reference(b, r, "person_id", "converted_contact_id");
        reference(b, r, "organization_id", "converted_account_id");
      }
      default -> throw CommonObjectWrites.notWritable("pipedrive", r.object());
    }
    customFields(b, r, lookups.fields());
    return b.body();
  }

  /** An integer id reference (null clears it). */
  private static void reference(WriteBody b, UnifiedWrite r, String providerField, String unifiedField) {
    if (!r.has(unifiedField)) return;
    String id = r.text(unifiedField);
    if (id == null) {
      b.put(providerField, (JsonNode) null);
      return;
    }
    try {
      b.put(providerField, NODES.numberNode(Long.parseLong(id)));
    } catch (NumberFormatException e) {
      throw new WriteRefusedException(unifiedField + " must be a Pipedrive id (a whole number), not '" + id + "'");
    }
  }

  /**
   * pipeline_id and stage_id from ids or names (id 0 is a real id, not "none"); the stage is
   * looked up inside the pipeline the request names, or in every pipeline when it names none.
   */
  private static void stage(WriteBody b, UnifiedWrite r, Lookups lookups) {
    String pipeline = r.text("pipeline");
    String stage = r.text("stage");
    JsonNode foundPipeline = null;
    if (pipeline != null) {
      foundPipeline = find(lookups.pipelines(), pipeline, null, null);
      if (foundPipeline == null) throw new WriteRefusedException("Pipeline not found: " + pipeline);
    }
    if (r.has("pipeline")) b.put("pipeline_id", foundPipeline == null ? null : foundPipeline.get("id"));
    if (!r.has("stage")) return;
    JsonNode foundStage = null;
    if (stage != null) {
      foundStage = find(lookups.stages(), stage, "pipeline_id", foundPipeline == null ? null : foundPipeline.get("id").asText());
      if (foundStage == null) throw new WriteRefusedException("Stage not found: " + stage);
    }
    b.put("stage_id", foundStage == null ? null : foundStage.get("id"));
  }

  /** The entry whose id or name is {@code value}, optionally only among those whose {@code scopeField} is {@code scope}. */
  private static JsonNode find(JsonNode response, String value, String scopeField, String scope) {
    for (JsonNode e : response.path("data")) {
      if (!e.hasNonNull("id")) continue;
      if (scope != null && !scope.equals(e.path(scopeField).asText(null))) continue;
      if (value.equals(e.get("id").asText()) || value.equals(e.path("name").asText(null))) return e;
    }
    return null;
  }

  /** Custom fields by name (or key), sent under the field's key; enum and set option labels become option ids. */
  private static void customFields(WriteBody b, UnifiedWrite r, JsonNode fields) {
    for (Map.Entry<String, JsonNode> e : r.customFields().entrySet()) {
      JsonNode field = null;
      for (JsonNode f : fields.path("data")) {
        if (e.getKey().equals(f.path("name").asText(null)) || e.getKey().equals(f.path("key").asText(null))) {
          field = f;
          break;
        }
      }
      if (field == null) throw new WriteRefusedException("Custom field not found: " + e.getKey());
      String type = field.path("field_type").asText("");
      JsonNode value = e.getValue();
      if ((type.equals("enum") || type.equals("set")) && !value.isNull()) value = optionIds(field, value, type.equals("set"));
      b.put(field.path("key").asText(), value);
    }
  }

  private static JsonNode optionIds(JsonNode field, JsonNode value, boolean set) {
    List<JsonNode> labels = new ArrayList<>();
    if (value.isArray()) value.forEach(labels::add);
    else labels.add(value);
    ArrayNode ids = NODES.arrayNode();
    for (JsonNode label : labels) {
      JsonNode id = null;
      for (JsonNode o : field.path("options")) {
        if (label.asText().equals(o.path("label").asText(null)) || label.asText().equals(o.path("id").asText(null))) id = o.get("id");
      }
      if (id == null) throw new WriteRefusedException("Option not found: " + label.asText() + " (custom field " + field.path("name").asText() + ")");
      ids.add(id);
    }
    return set ? ids : ids.get(0);
  }
}
