package dev.syncbeam.transforms.providers.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncbeam.schemas.Timestamps;
import dev.syncbeam.schemas.unified.Account;
import dev.syncbeam.schemas.unified.Address;
import dev.syncbeam.schemas.unified.CommonObject;
import dev.syncbeam.schemas.unified.Contact;
import dev.syncbeam.schemas.unified.EmailAddress;
import dev.syncbeam.schemas.unified.LifecycleStage;
import dev.syncbeam.schemas.unified.Opportunity;
import dev.syncbeam.schemas.unified.OpportunityStatus;
import dev.syncbeam.schemas.unified.PhoneNumber;
import dev.syncbeam.schemas.unified.RecordMeta;
import dev.syncbeam.schemas.unified.UnifiedRecord;
import dev.syncbeam.schemas.unified.User;
import dev.syncbeam.transforms.providers.CommonLookups;
import dev.syncbeam.transforms.providers.CommonObjectMapping;
import dev.syncbeam.transforms.providers.FieldReader;
import dev.syncbeam.transforms.extract.ExtractLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * HubSpot companies, contacts, deals and owners to the unified model. HubSpot has no lead object. Deal pipeline and stage labels come from {@code _pipelines/deals.json};
 * company associations travel inside the records.
 */
public final class HubSpotCommonObjects implements CommonObjectMapping {
  static final String PIPELINES = "pipeline";
  static final String STAGES = "stage";
  private static final Map<CommonObject, ObjectMapping> OBJECTS = Map.of(
      CommonObject.ACCOUNTS, new ObjectMapping("companies", HubSpotCommonObjects::account),
      CommonObject.CONTACTS, new ObjectMapping("contacts", HubSpotCommonObjects::contact),
      CommonObject.OPPORTUNITIES, new ObjectMapping("deals", HubSpotCommonObjects::opportunity),
      CommonObject.USERS, new ObjectMapping("owners", HubSpotCommonObjects::user));

  @Override public Map<CommonObject, ObjectMapping> objects() {
    return OBJECTS;
  }

  @Override public CommonLookups loadLookups(String extractRoot, CommonObject commonObject, Consumer<String> warnings) {
    if (commonObject != CommonObject.OPPORTUNITIES) return CommonLookups.NONE;
    String folder = ExtractLayout.lookupFolder(extractRoot, "pipelines");
    return pipelineLookups(CommonLookups.readResponses(folder, warnings), folder + "/deals.json", warnings);
  }

  /**
   * Deal pipeline and stage labels from {@code /crm/v3/pipelines/deals} responses (read from an
   * extract folder or the live API). Stages are keyed {@code pipelineId/stageId}, and by stageId
   * alone for deals that do not name their pipeline.
   */
  public static CommonLookups pipelineLookups(List<JsonNode> responses, String from, Consumer<String> warnings) {
    Map<String, String> pipelines = new HashMap<>();
    Map<String, String> stages = new HashMap<>();
    for (JsonNode response : responses) {
      for (JsonNode p : response.path("results")) {
        String pipelineId = p.path("id").asText(null);
        if (pipelineId == null) continue;
        if (p.hasNonNull("label")) pipelines.put(pipelineId, p.get("label").asText());
        for (JsonNode s : p.path("stages")) {
          if (!s.hasNonNull("id") || !s.hasNonNull("label")) continue;
          stages.put(pipelineId + "/" + s.get("id").asText(), s.get("label").asText());
          stages.putIfAbsent(s.get("id").asText(), s.get("label").asText());
        }
      }
    }
    if (pipelines.isEmpty()) warnings.accept("no deal pipelines in " + from + ": opportunity pipeline and stage stay ids");
    return new CommonLookups(Map.of(PIPELINES, pipelines, STAGES, stages));
  }

  /** updatedAt already counted by Normalize when it does not parse, so it is read here without counting. */
  private static RecordMeta meta(Input in) {
    JsonNode r = in.record();
    FieldReader f = in.read();
    return new RecordMeta(in.id(), f.timestamp(r, "createdAt"), Timestamps.parse(f.text(r, "updatedAt")),
        f.flag(r, "archived"), in.version());
  }

  private static JsonNode props(Input in) {
    return in.record().path("properties");
  }

  /** The first company the record is associated with. */
  private static String firstCompany(Input in) {
    JsonNode first = in.record().path("associations").path("companies").path("results").path(0);
    return in.read().text(first, "id");
  }

  private static Address address(FieldReader f, JsonNode p, String street2Field) {
    return new Address(f.text(p, "address"), street2Field == null ? null : f.text(p, street2Field), f.text(p, "city"),
        f.text(p, "state"), f.text(p, "zip"), f.text(p, "country"), "primary");
  }

  static Account account(Input in) {
    FieldReader f = in.read();
    JsonNode p = props(in);
    return new Account(meta(in), f.text(p, "name"), f.text(p, "description"), f.text(p, "industry"), f.text(p, "website"),
        f.integer(p, "numberofemployees"), Address.present(address(f, p, "address2")),
        PhoneNumber.present(new PhoneNumber(f.text(p, "phone"), "primary")),
        f.timestamp(p, "notes_last_updated"), f.oneOf(p, "lifecyclestage", LifecycleStage::parse),
        f.text(p, "hubspot_owner_id"));
  }

  static Contact contact(Input in) {
    FieldReader f = in.read();
    JsonNode p = props(in);
    return new Contact(meta(in), f.text(p, "firstname"), f.text(p, "lastname"), Address.present(address(f, p, null)),
        EmailAddress.present(new EmailAddress(f.text(p, "email"), "primary"), new EmailAddress(f.text(p, "work_email"), "work")),
        PhoneNumber.present(new PhoneNumber(f.text(p, "phone"), "primary"),
            new PhoneNumber(f.text(p, "mobilephone"), "mobile"), // fixed: Supaglue read "mobilePhone" and lost it
            new PhoneNumber(f.text(p, "fax"), "fax")),
        f.oneOf(p, "lifecyclestage", LifecycleStage::parse), firstCompany(in), f.text(p, "hubspot_owner_id"),
        f.timestamp(p, "notes_last_updated"));
  }

  static Opportunity opportunity(Input in) {
    FieldReader f = in.read();
    JsonNode p = props(in);
    OpportunityStatus status = f.flag(p, "hs_is_closed_won") ? OpportunityStatus.WON
        : f.flag(p, "hs_is_closed") ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
    String pipelineId = f.text(p, "pipeline");
    String stageId = f.text(p, "dealstage");
    String stage = stageId == null ? null
        : pipelineId != null && in.lookups().label(STAGES, pipelineId + "/" + stageId) != null
            ? in.lookups().label(STAGES, pipelineId + "/" + stageId)
            : in.lookups().labelOrId(STAGES, stageId);
    return new Opportunity(meta(in), f.text(p, "dealname"), f.text(p, "description"), f.decimal(p, "amount"), stage,
        status, f.timestamp(p, "closedate"), in.lookups().labelOrId(PIPELINES, pipelineId), firstCompany(in),
        f.text(p, "hubspot_owner_id"), f.timestamp(p, "notes_last_updated"));
  }

  /** Owners are top-level objects (no properties); an archived owner is an inactive, deleted user. */
  static User user(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    boolean archived = f.flag(r, "archived");
    RecordMeta m = meta(in);
    return new User(new RecordMeta(m.id(), m.createdAt(), m.updatedAt(), archived, m.lastModifiedAt()),
        FieldReader.joined(f.text(r, "firstName"), f.text(r, "lastName")), f.text(r, "email"), !archived);
  }
}
