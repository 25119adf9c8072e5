package dev.syncbeam.sandbox.api.pipedrive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.SampleNames;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.WireTimestamps;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * Generated Pipedrive v1 records. Persons, organizations, deals and users use zone-less
 * {@code 2026-05-15 10:11:04} timestamps; leads use ISO-8601 with millis, as the real API does.
 */
final class PipedriveRecordGenerator {
  private PipedriveRecordGenerator() {}

  /** The custom-field keys of one company; see {@link PipedriveSchema}. */
  record CustomKeys(String dealTier, String dealRenewal, String personLanguage, String orgRegion) {}

  static String leadId(long n) {
    return String.format(Locale.ROOT, "%08x-5044-11f1-8fc2-%012x", n, n);
  }

  /** The id of item n as the API spells it: numbers, and UUID-shaped text for leads. */
  static String id(String object, long n) {
    return object.equals("leads") ? leadId(n) : String.valueOf(n);
  }

  static ObjectNode generate(String object, long n, int refs, Random rnd, Instant created, Instant modified, CustomKeys keys) {
    int i = (int) n;
    int owner = 1 + rnd.nextInt(Math.max(1, refs));
    int org = 1 + rnd.nextInt(Math.max(1, refs));
    ObjectNode r = Json.object();
    switch (object) {
      case "persons" -> {
        r.put("id", n);
        r.set("owner_id", user(owner));
        r.set("org_id", Json.object().put("name", SampleNames.company(org)).put("people_count", 1).put("owner_id", owner)
            .put("active_flag", true).put("value", org));
        r.put("name", SampleNames.first(i) + " " + SampleNames.last(i)).put("first_name", SampleNames.first(i)).put("last_name", SampleNames.last(i))
            .put("active_flag", true);
        r.set("phone", labelled("mobile", "+1555020" + (1000 + i % 9000)));
        r.set("email", labelled("work", SampleNames.email(i)));
        r.put("visible_to", "3").put("org_name", SampleNames.company(org)).put("owner_name", SampleNames.first(owner + 40) + " " + SampleNames.last(owner + 40))
            .put("primary_email", SampleNames.email(i)).put("job_title", "Engineer").putNull("label").set("label_ids", Json.array());
        r.put(keys.personLanguage(), rnd.nextBoolean() ? "English" : "German");
      }
      case "organizations" -> {
        r.put("id", n);
        r.set("owner_id", user(owner));
        r.put("name", SampleNames.company(i)).put("people_count", rnd.nextInt(40)).put("active_flag", true)
            .put("address", (100 + i) + " Main St, " + SampleNames.city(i)).put("address_locality", SampleNames.city(i))
            .put("address_country", "United States").put("website", "https://" + SampleNames.company(i).toLowerCase(Locale.ROOT).replace(' ', '-') + ".example")
            .putNull("industry").put("employee_count", 10 + rnd.nextInt(5000)).put("owner_name", SampleNames.first(owner + 40) + " " + SampleNames.last(owner + 40))
            .put("visible_to", "3").set("label_ids", Json.array());
        r.put(keys.orgRegion(), rnd.nextBoolean() ? "EMEA" : "AMER");
      }
      case "deals" -> {
        int stage = 1 + rnd.nextInt(6);
        String status = switch (rnd.nextInt(6)) {
          case 0 -> "won";
          case 1 -> "lost";
          default -> "open";
        };
        int value = 500 * (1 + rnd.nextInt(100));
        int person = 1 + rnd.nextInt(Math.max(1, refs));
        r.put("id", n);
        r.set("creator_user_id", user(owner));
        r.set("user_id", user(owner));
        r.set("person_id", Json.object().put("active_flag", true).put("name", SampleNames.first(person) + " " + SampleNames.last(person)).put("value", person));
        r.set("org_id", Json.object().put("name", SampleNames.company(org)).put("people_count", 1).put("owner_id", owner).put("active_flag", true).put("value", org));
        r.put("stage_id", stage).put("title", SampleNames.company(org) + " deal " + i).put("value", value).put("currency", "USD")
            .putNull("stage_change_time").put("active", status.equals("open")).put("deleted", false).put("status", status).putNull("probability")
            .putNull("lost_reason").put("visible_to", "3").put("pipeline_id", stage <= 4 ? 1 : 2)
            .put("expected_close_date", WireTimestamps.date(modified.plusSeconds(86_400L * 30))).put("is_archived", false).putNull("archive_time")
            .put("person_name", SampleNames.first(person) + " " + SampleNames.last(person)).put("org_name", SampleNames.company(org))
            .put("owner_name", SampleNames.first(owner + 40) + " " + SampleNames.last(owner + 40)).put("formatted_value", "$" + value)
            .put("weighted_value", value).put("weighted_value_currency", "USD");
        String closed = status.equals("open") ? null : WireTimestamps.pipedrive(modified);
        r.put("close_time", closed).put("won_time", status.equals("won") ? closed : null).put("lost_time", status.equals("lost") ? closed : null);
        r.put(keys.dealTier(), rnd.nextBoolean() ? 1 : 2).put(keys.dealRenewal(), WireTimestamps.date(modified.plusSeconds(86_400L * 365)));
      }
      case "leads" -> {
        r.put("id", leadId(n)).put("title", SampleNames.company(org) + " lead " + i).put("owner_id", owner).put("creator_id", owner);
        r.set("label_ids", Json.array());
        r.set("value", Json.object().put("amount", 1000 * (1 + rnd.nextInt(50))).put("currency", "USD"));
        r.putNull("expected_close_date").put("person_id", 1 + rnd.nextInt(Math.max(1, refs))).put("organization_id", org)
            .put("is_archived", false).putNull("archive_time").put("source_name", "API").put("origin", "API").put("was_seen", false)
            .put("visible_to", "3");
      }
      case "users" -> r.put("id", n).put("name", SampleNames.first(i + 40) + " " + SampleNames.last(i + 40)).put("email", SampleNames.email(i + 40))
          .put("lang", 1).put("locale", "en_US").put("timezone_name", "Europe/Berlin").put("timezone_offset", "+02:00")
          .put("default_currency", "USD").putNull("icon_url").put("active_flag", rnd.nextInt(10) != 0).put("is_deleted", false)
          .put("is_admin", n == 1 ? 1 : 0).put("role_id", 1).put("has_created_company", n == 1).put("is_you", n == 1)
          .putNull("phone").putNull("last_login");
      default -> throw new IllegalArgumentException(object);
    }
    if (object.equals("users")) r.put("created", WireTimestamps.pipedrive(created));
    else if (object.equals("leads")) r.put("add_time", WireTimestamps.isoMillis(created));
    else r.put("add_time", WireTimestamps.pipedrive(created));
    if (object.equals("persons") || object.equals("organizations")) r.putNull("delete_time");
    stamp(object, r, modified);
    return r;
  }

  /** Every write moves the update time (users: {@code modified}). */
  static void stamp(String object, ObjectNode r, Instant t) {
    switch (object) {
      case "users" -> r.put("modified", WireTimestamps.pipedrive(t));
      case "leads" -> r.put("update_time", WireTimestamps.isoMillis(t));
      default -> r.put("update_time", WireTimestamps.pipedrive(t));
    }
  }

  /** The modification instant of a record, whatever its timestamp format. */
  static Instant modified(String object, ObjectNode r) {
    return switch (object) {
      case "users" -> WireTimestamps.parsePipedrive(r.get("modified").asText());
      case "leads" -> Instant.parse(r.get("update_time").asText());
      default -> WireTimestamps.parsePipedrive(r.get("update_time").asText());
    };
  }

  private static ObjectNode user(int id) {
    return Json.object().put("id", id).put("name", SampleNames.first(id + 40) + " " + SampleNames.last(id + 40))
        .put("email", SampleNames.email(id + 40)).put("has_pic", 0).putNull("pic_hash").put("active_flag", true).put("value", id);
  }

  private static ArrayNode labelled(String label, String value) {
    ArrayNode a = Json.array();
    a.addObject().put("label", label).put("value", value).put("primary", true);
    return a;
  }
}
