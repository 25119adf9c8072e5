package dev.syncbeam.transforms.providers.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.unified.Address;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.transforms.providers.CommonObjectWrites;
import dev.syncbeam.transforms.providers.UnifiedWrite;
import dev.syncbeam.transforms.providers.WriteBody;
import dev.syncbeam.transforms.providers.http.ApiClient;
import dev.syncbeam.transforms.providers.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unified accounts, contacts, leads and opportunities to Salesforce sObject REST writes
 * ({@code POST .../sobjects/X/}, {@code PATCH .../sobjects/X/{Id}}). Fields follow Supaglue's
 * mapping, with OwnerId written too (Supaglue never wrote the owner) and a lead's PostalCode
 * sent as PostalCode (Supaglue sent Zip, which Salesforce refuses).
 */
public final class SalesforceWrites implements CommonObjectWrites {
  private static final Map<CommonObject, String> SOBJECTS = Map.of(CommonObject.ACCOUNTS, "Account",
      CommonObject.CONTACTS, "Contact", CommonObject.LEADS, "Lead", CommonObject.OPPORTUNITIES, "Opportunity");
  private static final Map<CommonObject, Set<String>> WRITABLE = Map.of(
      CommonObject.ACCOUNTS, Set.of("name", "description", "industry", "website", "number_of_employees", "phone_numbers",
          "addresses", "owner_id", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.CONTACTS, Set.of("first_name", "last_name", "account_id", "email_addresses", "phone_numbers", "addresses",
          "owner_id", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.LEADS, Set.of("first_name", "last_name", "title", "company", "lead_source", "email_addresses", "addresses",
          "owner_id", UnifiedWrite.CUSTOM_FIELDS),
      CommonObject.OPPORTUNITIES, Set.of("name", "description", "amount", "close_date", "stage", "account_id", "owner_id",
          UnifiedWrite.CUSTOM_FIELDS));

  @Override public Set<String> writableFields(CommonObject object) {
    return WRITABLE.getOrDefault(object, Set.of());
  }

  @Override public String create(CommonObject object, UnifiedWrite record, ApiClient client) throws IOException {
    return createRecord(sobject(object), body(record), client);
  }

  @Override public void update(CommonObject object, String id, UnifiedWrite record, ApiClient client) throws IOException {
    updateRecord(sobject(object), id, body(record), client);
  }

  @Override public String createRecord(String object, ObjectNode fields, ApiClient client) throws IOException {
    String name = SalesforceApi.apiName(object);
    String id = client.postJson(SalesforceApi.DATA + "/sobjects/" + name + "/", fields).path("id").asText(null);
    if (id == null) throw new ApiException(0, "salesforce created a " + name + " but answered with no id");
    return id;
  }

  @Override public void updateRecord(String object, String id, ObjectNode fields, ApiClient client) throws IOException {
    client.patchJson(SalesforceApi.DATA + "/sobjects/" + SalesforceApi.apiName(object) + "/" + SalesforceApi.apiName(id), fields);
  }

  /** The sync's own query (every queryable field, same SOQL shape) narrowed to the one Id. */
  @Override public JsonNode readRecord(String object, String id, ApiClient client) throws IOException {
    String name = SalesforceApi.apiName(object);
    List<String> fields = SalesforceApi.fields(client.getJson(SalesforceApi.DATA + "/sobjects/" + name + "/describe", Map.of()), Set.of());
    String soql = SalesforceApi.soql(fields, name, "Id = '" + SalesforceApi.apiName(id) + "'");
    JsonNode records = client.getJson(SalesforceApi.DATA + "/queryAll", Map.of("q", soql)).path("records");
    if (records.isEmpty()) throw new ApiException(404, "salesforce has no " + name + " " + id);
    return records.get(0);
  }

  /** Live records by Id, every queryable field; the cursor is the page's last Id. */
  @Override public LivePage listPage(String object, String cursor, int pageSize, ApiClient client) throws IOException {
    String name = SalesforceApi.apiName(object);
    JsonNode describe = client.getJson(SalesforceApi.DATA + "/sobjects/" + name + "/describe", Map.of());
    List<String> fields = SalesforceApi.fields(describe, Set.of());
    String where = cursor == null ? "" : " WHERE Id > '" + SalesforceApi.apiName(cursor) + "'";
    String soql = "SELECT " + String.join(", ", fields) + " FROM " + name + where + " ORDER BY Id ASC LIMIT " + (pageSize + 1);
    List<JsonNode> records = new ArrayList<>();
    client.getJson(SalesforceApi.DATA + "/query", Map.of("q", soql)).path("records").forEach(records::add);
    if (records.size() <= pageSize) return new LivePage(records, null);
    List<JsonNode> page = records.subList(0, pageSize);
    return new LivePage(List.copyOf(page), page.get(pageSize - 1).path("Id").asText());
  }

  private static final Map<CommonObject, Map<String, String>> MATCH_FIELDS = Map.of(
      CommonObject.CONTACTS, Map.of("email", "Email"), CommonObject.LEADS, Map.of("email", "Email"),
      CommonObject.ACCOUNTS, Map.of("website", "Website"));

  @Override public Set<String> matchKeys(CommonObject object) {
    return MATCH_FIELDS.getOrDefault(object, Map.of()).keySet();
  }

  /** A SOQL query (live records only) on the key's field. */
  @Override public List<String> find(CommonObject object, String key, String value, ApiClient client) throws IOException {
    String field = MATCH_FIELDS.getOrDefault(object, Map.of()).get(key);
    if (field == null) return CommonObjectWrites.super.find(object, key, value, client);
    String soql = "SELECT Id FROM " + sobject(object) + " WHERE " + field + " = '" + soqlText(value) + "' LIMIT 10";
    List<String> ids = new ArrayList<>();
    for (JsonNode r : client.getJson(SalesforceApi.DATA + "/query", Map.of("q", soql)).path("records")) ids.add(r.path("Id").asText());
    return ids;
  }

  /** A SOQL string literal's content: backslashes and quotes escaped, so a value cannot end the literal. */
  public static String soqlText(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static String sobject(CommonObject object) {
    return CommonObjectWrites.writtenAs(SOBJECTS, "salesforce", object);
  }

  /** The request body of a create or update. */
  public static ObjectNode body(UnifiedWrite r) {
    WriteBody b = WriteBody.typed(r);
    switch (r.object()) {
      case ACCOUNTS -> {
        b.field("Name", "name").field("Description", "description").field("Industry", "industry").field("Website", "website")
            .field("NumberOfEmployees", "number_of_employees")
            .fromList("phone_numbers", "Phone", r.phone("primary")).fromList("phone_numbers", "Fax", r.phone("fax"));
        address(b, r, "Billing", "billing");
        address(b, r, "Shipping", "shipping");
        b.field("OwnerId", "owner_id");
      }
      case CONTACTS -> {
        b.field("FirstName", "first_name").field("LastName", "last_name").field("AccountId", "account_id")
            .fromList("email_addresses", "Email", r.email("primary"))
            .fromList("phone_numbers", "Phone", r.phone("primary")).fromList("phone_numbers", "MobilePhone", r.phone("mobile"))
            .fromList("phone_numbers", "Fax", r.phone("fax"));
        address(b, r, "Mailing", "mailing");
        address(b, r, "Other", "other");
        b.field("OwnerId", "owner_id");
      }
      case LEADS -> {
        b.field("FirstName", "first_name").field("LastName", "last_name").field("Title", "title").field("Company", "company")
            .field("LeadSource", "lead_source").fromList("email_addresses", "Email", r.email("primary"));
        address(b, r, "", "primary");
        b.field("OwnerId", "owner_id");
      }
      case OPPORTUNITIES -> b.field("Name", "name").field("Description", "description").field("Amount", "amount")
          .field("CloseDate", "close_date").field("StageName", "stage").field("AccountId", "account_id").field("OwnerId", "owner_id");
      default -> throw CommonObjectWrites.notWritable("salesforce", r.object());
    }
    return b.withCustomFields();
  }

  /** {@code <prefix>Street, City, State, PostalCode, Country} from the list's entry of that type. */
  private static void address(WriteBody b, UnifiedWrite r, String prefix, String type) {
    Address a = r.has("addresses") ? r.address(type) : null;
    b.fromList("addresses", prefix + "Street", a == null ? null : a.street1())
        .fromList("addresses", prefix + "City", a == null ? null : a.city())
        .fromList("addresses", prefix + "State", a == null ? null : a.state())
        .fromList("addresses", prefix + "PostalCode", a == null ? null : a.postalCode())
        .fromList("addresses", prefix + "Country", a == null ? null : a.country());
  }
}
