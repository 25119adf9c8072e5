package dev.syncbeam.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small, seeded sample CRM written as provider extracts, in each provider's own response
 * envelope (Salesforce query pages, HubSpot CRM v3 pages, Pipedrive v1 pages): an initial
 * extract of everything, then an extract of changes (updates and deletions) as an
 * incremental read would return them. Timestamps are relative to "now" so reruns move forward.
 */
public final class SampleExtracts {
  public static final List<String> CUSTOMERS = List.of("acme", "globex");
  private static final DateTimeFormatter SF = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'", Locale.ROOT);
  private static final DateTimeFormatter PD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  /** How many records of each object one customer has in the initial extract. */
  public record Sizes(int accounts, int contacts) {}

  public static final Sizes DEMO = new Sizes(25, 60);

  private SampleExtracts() {}

  /** The objects each provider's sample has, as configured (provider object names). */
  public static List<String> objects(String provider) {
    return switch (provider) {
      case "salesforce" -> List.of("Account", "Contact");
      case "hubspot" -> List.of("companies", "contacts");
      case "pipedrive" -> List.of("organizations", "persons");
      default -> throw new IllegalArgumentException(provider);
    };
  }

  /** {@code <root>/<customer>/<provider>/<object>/page-NNN.json} for every customer and provider. */
  public static void writeInitial(Path root, Sizes sizes, Instant now) throws IOException {
    Instant base = now.minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    for (String customer : CUSTOMERS) {
      Random rnd = new Random(customer.hashCode());
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        List<String> accounts = new ArrayList<>(), contacts = new ArrayList<>();
        for (int i = 0; i < sizes.accounts(); i++) accounts.add(account(provider, i, base.plusSeconds(60L * i), false, rnd));
        for (int i = 0; i < sizes.contacts(); i++) contacts.add(contact(provider, i, sizes.accounts(), base.plusSeconds(30L * i), false, rnd));
        writePages(root.resolve(customer).resolve(provider), provider, objects(provider).get(0), accounts, 20);
        writePages(root.resolve(customer).resolve(provider), provider, objects(provider).get(1), contacts, 25);
      }
    }
  }

  /**
   * What changed since the initial extract: contacts 0-4 updated, 5-7 deleted at the provider,
   * account 0 renamed, account 1 deleted. Only changed records appear, as in an incremental read.
   */
  public static void writeChanges(Path root, Sizes sizes, Instant now) throws IOException {
    Instant base = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    for (String customer : CUSTOMERS) {
      Random rnd = new Random(customer.hashCode() + 1);
      for (String provider : List.of("salesforce", "hubspot", "pipedrive")) {
        List<String> accounts = List.of(account(provider, 0, base, false, rnd), account(provider, 1, base.plusSeconds(1), true, rnd));
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 8; i++) contacts.add(contact(provider, i, sizes.accounts(), base.plusSeconds(10L + i), i >= 5, rnd));
        writePages(root.resolve(customer).resolve(provider), provider, objects(provider).get(0), accounts, 100);
        writePages(root.resolve(customer).resolve(provider), provider, objects(provider).get(1), contacts, 100);
      }
    }
  }

  private static String sfTime(Instant t) {
    return SF.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String pdTime(Instant t) {
    return PD.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String q(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String account(String provider, int i, Instant modified, boolean deleted, Random rnd) {
    String name = SampleNames.company(i) + (modified.getEpochSecond() % 7 == 0 ? " Inc" : "");
    int employees = 10 + rnd.nextInt(5000);
    return switch (provider) {
      case "salesforce" -> "{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v59.0/sobjects/Account/" + sfId("001", i) + "\"},"
          + "\"Id\":" + q(sfId("001", i)) + ",\"Name\":" + q(name) + ",\"Industry\":\"Technology\",\"NumberOfEmployees\":" + employees
          + ",\"BillingCity\":\"Springfield\",\"Phone\":\"(555) 010-" + (1000 + i) + "\",\"IsDeleted\":" + deleted
          + ",\"CreatedDate\":" + q(sfTime(modified.minus(30, ChronoUnit.DAYS))) + ",\"SystemModstamp\":" + q(sfTime(modified)) + "}";
      case "hubspot" -> "{\"id\":" + q(String.valueOf(5000 + i)) + ",\"properties\":{\"name\":" + q(name) + ",\"domain\":"
          + q(name.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example") + ",\"numberofemployees\":" + q(String.valueOf(employees))
          + ",\"hs_lastmodifieddate\":" + q(modified.toString()) + "},\"createdAt\":" + q(modified.minus(30, ChronoUnit.DAYS).toString())
          + ",\"updatedAt\":" + q(modified.toString()) + ",\"archived\":" + deleted + (deleted ? ",\"archivedAt\":" + q(modified.toString()) : "") + "}";
      case "pipedrive" -> "{\"id\":" + (100 + i) + ",\"name\":" + q(name) + ",\"people_count\":" + employees % 40
          + ",\"address_locality\":\"Springfield\",\"owner_id\":{\"id\":1,\"name\":\"Owner\",\"value\":1},\"active_flag\":" + !deleted
          + ",\"add_time\":" + q(pdTime(modified.minus(30, ChronoUnit.DAYS))) + ",\"update_time\":" + q(pdTime(modified))
          + ",\"delete_time\":" + (deleted ? q(pdTime(modified)) : "null") + "}";
      default -> throw new IllegalArgumentException(provider);
    };
  }

  static String contact(String provider, int i, int accounts, Instant modified, boolean deleted, Random rnd) {
    String first = SampleNames.first(i), last = SampleNames.last(i);
    String email = SampleNames.email(i);
    int account = rnd.nextInt(accounts);
    return switch (provider) {
      case "salesforce" -> "{\"attributes\":{\"type\":\"Contact\",\"url\":\"/services/data/v59.0/sobjects/Contact/" + sfId("003", i) + "\"},"
          + "\"Id\":" + q(sfId("003", i)) + ",\"FirstName\":" + q(first) + ",\"LastName\":" + q(last) + ",\"Email\":" + q(email)
          + ",\"AccountId\":" + q(sfId("001", account)) + ",\"MobilePhone\":\"(555) 020-" + (1000 + i) + "\",\"IsDeleted\":" + deleted
          + ",\"CreatedDate\":" + q(sfTime(modified.minus(20, ChronoUnit.DAYS))) + ",\"SystemModstamp\":" + q(sfTime(modified)) + "}";
      case "hubspot" -> "{\"id\":" + q(String.valueOf(9000 + i)) + ",\"properties\":{\"firstname\":" + q(first) + ",\"lastname\":" + q(last)
          + ",\"email\":" + q(email) + ",\"lifecyclestage\":\"lead\",\"lastmodifieddate\":" + q(modified.toString()) + "},\"createdAt\":"
          + q(modified.minus(20, ChronoUnit.DAYS).toString()) + ",\"updatedAt\":" + q(modified.toString()) + ",\"archived\":" + deleted
          + (deleted ? ",\"archivedAt\":" + q(modified.toString()) : "")
          + ",\"associations\":{\"companies\":{\"results\":[{\"id\":" + q(String.valueOf(5000 + account)) + ",\"type\":\"contact_to_company\"}]}}}";
      case "pipedrive" -> "{\"id\":" + (700 + i) + ",\"name\":" + q(first + " " + last) + ",\"first_name\":" + q(first) + ",\"last_name\":" + q(last)
          + ",\"email\":[{\"label\":\"work\",\"value\":" + q(email) + ",\"primary\":true}],\"phone\":[{\"label\":\"mobile\",\"value\":\"+1555020"
          + (1000 + i) + "\",\"primary\":true}],\"org_id\":{\"name\":\"Org\",\"value\":" + (100 + account) + "},\"owner_id\":{\"id\":1,\"value\":1},"
          + "\"active_flag\":" + !deleted + ",\"add_time\":" + q(pdTime(modified.minus(20, ChronoUnit.DAYS))) + ",\"update_time\":"
          + q(pdTime(modified)) + ",\"delete_time\":" + (deleted ? q(pdTime(modified)) : "null") + "}";
      default -> throw new IllegalArgumentException(provider);
    };
  }

  private static String sfId(String prefix, int i) {
    return prefix + String.format(Locale.ROOT, "dM%010dQAK", i);
  }

  /** Writes records as response pages with the provider's paging fields, the way its API would return them. */
  private static void writePages(Path providerRoot, String provider, String object, List<String> records, int pageSize) throws IOException {
    Path dir = providerRoot.resolve(object);
    Files.createDirectories(dir);
    int pages = Math.max(1, (records.size() + pageSize - 1) / pageSize);
    for (int p = 0; p < pages; p++) {
      List<String> page = records.subList(Math.min(records.size(), p * pageSize), Math.min(records.size(), (p + 1) * pageSize));
      boolean last = p == pages - 1;
      String body = String.join(",", page);
      String json = switch (provider) {
        case "salesforce" -> "{\"totalSize\":" + records.size() + ",\"done\":" + last
            + (last ? "" : ",\"nextRecordsUrl\":\"/services/data/v59.0/query/01gSAMPLE-" + ((p + 1) * pageSize) + "\"") + ",\"records\":[" + body + "]}";
        case "hubspot" -> "{\"results\":[" + body + "]" + (last ? "" : ",\"paging\":{\"next\":{\"after\":\"" + ((p + 1) * pageSize) + "\"}}") + "}";
        case "pipedrive" -> "{\"success\":true,\"data\":[" + body + "],\"additional_data\":{\"pagination\":{\"start\":" + p * pageSize
            + ",\"limit\":" + pageSize + ",\"more_items_in_collection\":" + !last + (last ? "" : ",\"next_start\":" + (p + 1) * pageSize) + "}}}";
        default -> throw new IllegalArgumentException(provider);
      };
      Files.writeString(dir.resolve(String.format(Locale.ROOT, "page-%03d.json", p + 1)), json);
    }
  }
}
