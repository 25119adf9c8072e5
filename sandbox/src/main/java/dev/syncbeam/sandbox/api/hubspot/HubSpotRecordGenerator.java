package dev.syncbeam.sandbox.api.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.SampleNames;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.hubspot.HubSpotSchema.ObjectType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generated HubSpot records in the v3 shape. The stored record keeps its company associations
 * under {@code associations}; the API strips them unless the client asks with associations=companies.
 */
final class HubSpotRecordGenerator {
  static final String PORTAL = "147893286";
  private static final List<String> LIFECYCLE = List.of("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer");

  private HubSpotRecordGenerator() {}

  /** Ids are 8-digit numbers per type (companies 2xxxxxxx, contacts 1xxxxxxx, deals 3xxxxxxx). */
  static String id(ObjectType type, long n) {
    return String.valueOf(switch (type.name()) {
      case "contacts" -> 10_000_000L;
      case "companies" -> 20_000_000L;
      case "deals" -> 30_000_000L;
      default -> 40_000_000L;
    } + n);
  }

  static ObjectNode generate(ObjectType type, long n, int refs, Random rnd, Instant created, Instant modified) {
    String id = id(type, n);
    int i = (int) n;
    ObjectNode r = Json.object().put("id", id);
    ObjectNode p = r.putObject("properties");
    String owner = String.valueOf(owners(1 + rnd.nextInt(Math.max(1, refs))));
    String company = id(HubSpotSchema.TYPES.get("companies"), 1 + rnd.nextInt(Math.max(1, refs)));
    switch (type.name()) {
      case "companies" -> p.put("name", SampleNames.company(i)).put("domain", SampleNames.company(i).toLowerCase(Locale.ROOT).replace(' ', '-') + ".example")
          .put("industry", "COMPUTER_SOFTWARE").put("city", SampleNames.city(i)).put("state", "CA").put("country", "United States")
          .put("phone", "+1 555 010 " + (1000 + i % 9000)).put("website", "https://" + SampleNames.company(i).toLowerCase(Locale.ROOT).replace(' ', '-') + ".example")
          .put("description", "Generated company " + i).put("numberofemployees", String.valueOf(10 + rnd.nextInt(5000)))
          .put("lifecyclestage", LIFECYCLE.get(rnd.nextInt(LIFECYCLE.size()))).put("hubspot_owner_id", owner).putNull("notes_last_updated");
      case "contacts" -> p.put("firstname", SampleNames.first(i)).put("lastname", SampleNames.last(i)).put("email", SampleNames.email(i))
          .put("phone", "+1 555 020 " + (1000 + i % 9000)).put("mobilephone", "+1 555 030 " + (1000 + i % 9000)).put("jobtitle", "Engineer")
          .put("company", SampleNames.company(i)).put("city", SampleNames.city(i + 1)).put("country", "United States")
          .put("lifecyclestage", LIFECYCLE.get(rnd.nextInt(LIFECYCLE.size()))).put("hubspot_owner_id", owner).putNull("notes_last_updated");
      case "deals" -> {
        List<String[]> stages = HubSpotSchema.dealStages();
        String[] stage = stages.get(rnd.nextInt(stages.size()));
        p.put("dealname", SampleNames.company(i) + " deal").put("amount", String.valueOf(500 * (1 + rnd.nextInt(100))))
            .put("dealstage", stage[1]).put("pipeline", stage[0]).put("closedate", WireTimestamps.isoMillis(modified.plusSeconds(86_400L * 30)))
            .put("description", "Generated deal " + i).put("hubspot_owner_id", owner).put("hs_is_closed_won", String.valueOf(stage[1].equals("closedwon")))
            .putNull("notes_last_updated");
      }
      default -> throw new IllegalArgumentException(type.name());
    }
    p.put("createdate", WireTimestamps.isoMillis(created)).put("hs_object_id", id);
    r.put("createdAt", WireTimestamps.isoMillis(created)).put("archived", false);
    r.put("url", "https://app.hubspot.com/contacts/" + PORTAL + "/record/" + type.typeId() + "/" + id);
    if (!type.name().equals("companies")) {
      String assocType = type.name().equals("contacts") ? "contact_to_company" : "deal_to_company";
      r.putObject("associations").putObject("companies").putArray("results").addObject().put("id", company).put("type", assocType);
    }
    stamp(type, r, modified);
    return r;
  }

  /** Every write moves updatedAt and the type's modification property (contacts: both of theirs). */
  static void stamp(ObjectType type, ObjectNode r, Instant modified) {
    String t = WireTimestamps.isoMillis(modified);
    r.put("updatedAt", t);
    ObjectNode p = (ObjectNode) r.get("properties");
    p.put(type.modifiedProperty(), t);
    if (type.name().equals("contacts")) p.put("hs_lastmodifieddate", t);
  }

  static long owners(long n) {
    return 60_000_000L + n;
  }

  static ObjectNode owner(long index, boolean archived, Instant created, Instant modified) {
    int n = (int) index;
    return Json.object().put("id", String.valueOf(owners(n))).put("email", SampleNames.email(n + 40)).put("type", "PERSON")
        .put("firstName", SampleNames.first(n + 40)).put("lastName", SampleNames.last(n + 40)).put("userId", 100_000 + n)
        .put("userIdIncludingInactive", 100_000 + n).put("createdAt", WireTimestamps.isoMillis(created))
        .put("updatedAt", WireTimestamps.isoMillis(modified)).put("archived", archived);
  }
}
