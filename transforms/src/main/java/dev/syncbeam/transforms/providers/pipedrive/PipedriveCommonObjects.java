package dev.syncbeam.transforms.providers.pipedrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.unified.Account;
import dev.syncbeam.schemas.unified.Address;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.Contact;
import dev.syncbeam.schemas.unified.EmailAddress;
import dev.syncbeam.schemas.unified.Lead;
import dev.syncbeam.schemas.unified.Opportunity;
import dev.syncbeam.schemas.unified.OpportunityStatus;
import dev.syncbeam.schemas.unified.PhoneNumber;
import dev.syncbeam.schemas.unified.RecordMeta;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import dev.syncbeam.schemas.unified.User;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.CommonObjectMapping;
import dev.syncbeam.transforms.providers.FieldReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.syncbeam.transforms.extract.ExtractLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.HashSet;

/**
 * Pipedrive persons, organizations, deals, leads and users to the unified model. Stage and pipeline labels come from {@code _stages/} and {@code _pipelines/}, custom
 * field names from {@code _dealFields/}, {@code _personFields/}, {@code _organizationFields/}.
 */
public final class PipedriveCommonObjects implements CommonObjectMapping {
  static final String STAGES = "stage";
  static final String PIPELINES = "pipeline";
  static final String FIELDS = "field";
  private static final Pattern CUSTOM_FIELD_KEY = Pattern.compile("[0-9a-f]{40}");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Leads share the deal fields in Pipedrive. */
  private static final Map<CommonObject, String> FIELDS_API = Map.of(CommonObject.ACCOUNTS, "organizationFields",
      CommonObject.CONTACTS, "personFields", CommonObject.LEADS, "dealFields", CommonObject.OPPORTUNITIES, "dealFields");

  private static final Map<CommonObject, ObjectMapping> OBJECTS = Map.of(
      CommonObject.ACCOUNTS, new ObjectMapping("organizations", PipedriveCommonObjects::account),
      CommonObject.CONTACTS, new ObjectMapping("persons", PipedriveCommonObjects::contact),
      CommonObject.LEADS, new ObjectMapping("leads", PipedriveCommonObjects::lead),
      CommonObject.OPPORTUNITIES, new ObjectMapping("deals", PipedriveCommonObjects::opportunity),
      CommonObject.USERS, new ObjectMapping("users", PipedriveCommonObjects::user));

  @Override public Map<CommonObject, ObjectMapping> objects() {
    return OBJECTS;
  }

  @Override public CommonLookups loadLookups(String extractRoot, CommonObject commonObject, Consumer<String> warnings) {
    try {
      return lookups(commonObject, api -> CommonLookups.readResponses(ExtractLayout.lookupFolder(extractRoot, api), warnings),
          extractRoot + " (_stages/, _pipelines/)", warnings);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading folders reports and skips; it never throws
    }
  }

  /**
   * The labels a common object needs, from v1 responses of the named APIs ({@code stages},
   * {@code pipelines}, {@code dealFields}, ...), read from extract folders or the live API.
   */
  public static CommonLookups lookups(CommonObject commonObject, LookupSource responsesOf, String from, Consumer<String> warnings)
      throws IOException {
    Map<String, Map<String, String>> tables = new HashMap<>();
    if (commonObject == CommonObject.OPPORTUNITIES) {
      tables.put(STAGES, idToName(responsesOf.responses("stages"), "id", "name"));
      tables.put(PIPELINES, idToName(responsesOf.responses("pipelines"), "id", "name"));
      if (tables.get(STAGES).isEmpty() || tables.get(PIPELINES).isEmpty()) {
        warnings.accept("no Pipedrive stages or pipelines in " + from + ": opportunity stage and pipeline stay ids where unknown");
      }
    }
    String fieldsApi = FIELDS_API.get(commonObject);
    if (fieldsApi != null) {
      List<JsonNode> responses = responsesOf.responses(fieldsApi);
      // v1 writes {key, name}; the newer fields API writes {field_code, field_name}
      Map<String, String> fields = idToName(responses, "key", "name");
      fields.putAll(idToName(responses, "field_code", "field_name"));
      tables.put(FIELDS, fields);
    }
    return new CommonLookups(tables);
  }

  /** Where lookup responses come from: an extract folder or the API of that name. */
  @FunctionalInterface
  public interface LookupSource {
    List<JsonNode> responses(String api) throws IOException;
  }

  private static Map<String, String> idToName(List<JsonNode> responses, String idField, String nameField) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode response : responses) {
      for (JsonNode e : response.path("data")) {
        if (e.hasNonNull(idField) && e.hasNonNull(nameField)) out.put(e.get(idField).asText(), e.get(nameField).asText());
      }
    }
    return out;
  }

  /** Custom-field keys (40-hex hashes) become the field names, when known and not clashing with a field already there. */
  @Override public String rawData(CommonObject commonObject, JsonNode record, String payload, CommonLookups lookups) {
    Map<String, String> names = lookups.table(FIELDS);
    if (names.isEmpty() || !record.isObject()) return payload;
    boolean any = false;
    ObjectNode renamed = JSON.createObjectNode();
    Set<String> taken = new HashSet<>();
    record.fieldNames().forEachRemaining(taken::add);
    for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = CUSTOM_FIELD_KEY.matcher(e.getKey()).matches() ? names.get(e.getKey()) : null;
      if (name != null && !taken.contains(name) && !renamed.has(name)) {
        renamed.set(name, e.getValue());
        any = true;
      } else {
        renamed.set(e.getKey(), e.getValue());
      }
    }
    if (!any) return payload;
    try {
      return JSON.writeValueAsString(renamed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** update_time already counted by Normalize when it does not parse, so it is read here without counting. */
  private static RecordMeta meta(Input in, boolean deleted) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new RecordMeta(in.id(), f.timestamp(r, "add_time"), Timestamps.parse(f.text(r, "update_time")), deleted,
        in.version());
  }

  static Contact contact(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    boolean deleted = f.text(r, "delete_time") != null || Boolean.FALSE.equals(f.bool(r, "active_flag"));
    List<EmailAddress> emails = new ArrayList<>();
    for (JsonNode e : r.path("email")) {
      String value = f.text(e, "value");
      if (value != null) emails.add(new EmailAddress(value, entryType(f, e, Set.of("work"))));
    }
    List<PhoneNumber> phones = new ArrayList<>();
    for (JsonNode p : r.path("phone")) {
      String value = f.text(p, "value");
      if (value != null) phones.add(new PhoneNumber(value, entryType(f, p, Set.of("mobile", "fax"))));
    }
    return new Contact(meta(in, deleted), f.text(r, "first_name"), f.text(r, "last_name"), List.of(), emails, phones,
        null, f.reference(r, "org_id", "value"), f.reference(r, "owner_id", "id"), f.timestamp(r, "last_activity_date"));
  }

  /** The entry's label when the list allows it, else primary when flagged primary, else other. */
  private static String entryType(FieldReader f, JsonNode entry, Set<String> allowedLabels) {
    String label = f.text(entry, "label");
    if (label != null && allowedLabels.contains(label)) return label;
    return f.flag(entry, "primary") ? "primary" : "other";
  }

  static Account account(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    String street = FieldReader.joined(f.text(r, "address_street_number"), f.text(r, "address_route"));
    if (street == null) street = f.text(r, "address");
    Address address = new Address(street, f.text(r, "address_subpremise"), f.text(r, "address_locality"),
        f.text(r, "address_admin_area_level_1"), f.text(r, "address_postal_code"), f.text(r, "address_country"), "primary");
    boolean deleted = f.text(r, "delete_time") != null || Boolean.FALSE.equals(f.bool(r, "active_flag"));
    return new Account(meta(in, deleted), f.text(r, "name"), null, null, null, f.integer(r, "people_count"),
        Address.present(address), List.of(), f.timestamp(r, "last_activity_date"), null, f.reference(r, "owner_id", "id"));
  }

  static Opportunity opportunity(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    String statusText = f.text(r, "status");
    OpportunityStatus status = statusText == null ? null : switch (statusText) {
      case "open" -> OpportunityStatus.OPEN;
      case "won" -> OpportunityStatus.WON;
      case "lost" -> OpportunityStatus.LOST;
      default -> null;
    };
    boolean deleted = f.flag(r, "deleted") || "deleted".equals(statusText);
    return new Opportunity(meta(in, deleted), f.text(r, "title"), null, f.decimal(r, "value"),
        in.lookups().labelOrId(STAGES, f.text(r, "stage_id")), status, f.timestamp(r, "close_time"),
        in.lookups().labelOrId(PIPELINES, f.text(r, "pipeline_id")), f.reference(r, "org_id", "value"),
        f.reference(r, "user_id", "id"), f.timestamp(r, "last_activity_date"));
  }

  /** A Pipedrive lead's person and organization are not conversions, so converted_* stay NULL. */
  static Lead lead(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new Lead(meta(in, f.flag(r, "is_archived")), f.text(r, "source_name"), f.text(r, "title"), null, null, null,
        List.of(), List.of(), List.of(), null, null, null, f.reference(r, "owner_id", "id"));
  }

  /** Users carry created/modified, and are never deleted. */
  static User user(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    RecordMeta meta = new RecordMeta(in.id(), f.timestamp(r, "created"), Timestamps.parse(f.text(r, "modified")), false,
        in.version());
    Boolean active = f.bool(r, "active_flag");
    return new User(meta, f.text(r, "name"), f.text(r, "email"), active != null && active);
  }
}
