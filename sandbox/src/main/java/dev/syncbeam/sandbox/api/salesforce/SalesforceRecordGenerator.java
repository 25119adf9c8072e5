package dev.syncbeam.sandbox.api.salesforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.SampleNames;
import dev.syncbeam.sandbox.api.Json;
import dev.syncbeam.sandbox.api.WireTimestamps;
import dev.syncbeam.sandbox.api.salesforce.SalesforceObjects.SObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Generated Salesforce records: typed JSON values as the REST API returns them. */
final class SalesforceRecordGenerator {
  private static final List<String> STAGES = List.of("Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost");
  private static final List<String> LEAD_SOURCES = List.of("Web", "Phone Inquiry", "Partner Referral", "Trade Show");
  private static final List<String> INDUSTRIES = List.of("Technology", "Manufacturing", "Retail", "Finance", "Healthcare");

  private SalesforceRecordGenerator() {}

  /**
   * Record number {@code n} (1-based) of the object; references point at records 1..{@code refs}
   * of the referenced object, which exist because every object is seeded with the same count.
   */
  static ObjectNode generate(SObject o, long n, int refs, Random rnd, Instant created, Instant modified, String version) {
    String id = SalesforceObjects.id(o, n);
    int i = (int) n;
    ObjectNode r = Json.object();
    r.putObject("attributes").put("type", o.name()).put("url", "/services/data/" + version + "/sobjects/" + o.name() + "/" + id);
    r.put("Id", id);
    if (o.hasIsDeleted()) r.put("IsDeleted", false);
    String owner = SalesforceObjects.id(SalesforceObjects.ALL.get("User"), 1 + rnd.nextInt(Math.max(1, refs)));
    String account = SalesforceObjects.id(SalesforceObjects.ALL.get("Account"), 1 + rnd.nextInt(Math.max(1, refs)));
    switch (o.name()) {
      case "User" -> r.put("Username", SampleNames.email(i) + ".sandbox").put("Email", SampleNames.email(i))
          .put("FirstName", SampleNames.first(i)).put("LastName", SampleNames.last(i))
          .put("Name", SampleNames.first(i) + " " + SampleNames.last(i)).put("Title", "Account Executive").put("IsActive", rnd.nextInt(10) != 0);
      case "Account" -> r.put("Name", SampleNames.company(i)).put("Type", "Customer - Direct").put("Industry", pick(INDUSTRIES, rnd))
          .put("Website", "https://" + SampleNames.company(i).toLowerCase(Locale.ROOT).replace(' ', '-') + ".example")
          .put("Phone", "(555) 010-" + (1000 + i % 9000)).put("NumberOfEmployees", 10 + rnd.nextInt(5000))
          .put("AnnualRevenue", 100000.0 * (1 + rnd.nextInt(500))).put("Description", "Generated account " + i)
          .put("BillingStreet", (100 + i) + " Main St").put("BillingCity", SampleNames.city(i)).put("BillingState", "CA")
          .put("BillingPostalCode", String.valueOf(90000 + i % 9999)).put("BillingCountry", "USA").put("OwnerId", owner)
          .put("LastActivityDate", WireTimestamps.date(modified));
      case "Contact" -> r.put("AccountId", account).put("FirstName", SampleNames.first(i)).put("LastName", SampleNames.last(i))
          .put("Email", SampleNames.email(i)).put("Phone", "(555) 020-" + (1000 + i % 9000)).put("MobilePhone", "(555) 030-" + (1000 + i % 9000))
          .put("Title", "Engineer").put("Department", "Engineering").put("LeadSource", pick(LEAD_SOURCES, rnd)).put("MailingStreet", (200 + i) + " Oak Ave")
          .put("MailingCity", SampleNames.city(i + 3)).put("MailingState", "TX").put("MailingPostalCode", String.valueOf(70000 + i % 9999))
          .put("MailingCountry", "USA").put("OwnerId", owner).putNull("LastActivityDate");
      case "Lead" -> {
        boolean converted = rnd.nextInt(5) == 0;
        r.put("FirstName", SampleNames.first(i + 5)).put("LastName", SampleNames.last(i + 5)).put("Company", SampleNames.company(i + 7))
            .put("Title", "Director").put("Email", SampleNames.email(i + 5)).put("Phone", "(555) 040-" + (1000 + i % 9000))
            .put("LeadSource", pick(LEAD_SOURCES, rnd)).put("Status", converted ? "Closed - Converted" : "Open - Not Contacted")
            .put("IsConverted", converted).put("ConvertedDate", converted ? WireTimestamps.date(modified) : null)
            .put("ConvertedAccountId", converted ? account : null)
            .put("ConvertedContactId", converted ? SalesforceObjects.id(SalesforceObjects.ALL.get("Contact"), 1 + rnd.nextInt(Math.max(1, refs))) : null)
            .put("OwnerId", owner);
      }
      case "Opportunity" -> {
        String stage = pick(STAGES, rnd);
        boolean closed = stage.startsWith("Closed");
        r.put("AccountId", account).put("Name", SampleNames.company(i) + " - Renewal").put("Description", "Generated opportunity " + i)
            .put("Amount", 1000.0 * (1 + rnd.nextInt(200))).put("StageName", stage)
            .put("CloseDate", WireTimestamps.date(modified.plus(Duration.ofDays(30)))).put("IsClosed", closed).put("IsWon", stage.equals("Closed Won"))
            .put("Probability", closed ? (stage.equals("Closed Won") ? 100.0 : 0.0) : 10.0 * (1 + rnd.nextInt(8))).put("OwnerId", owner)
            .putNull("LastActivityDate");
      }
      case "Invoice__c" -> r.put("Name", String.format(Locale.ROOT, "INV-%06d", i)).put("Account__c", account)
          .put("Amount__c", 50.0 * (1 + rnd.nextInt(400))).put("Status__c", rnd.nextBoolean() ? "Paid" : "Open")
          .put("Due_Date__c", WireTimestamps.date(created.plus(Duration.ofDays(30)))).put("OwnerId", owner);
      default -> throw new IllegalArgumentException(o.name());
    }
    r.put("CreatedDate", WireTimestamps.salesforce(created));
    stamp(r, modified);
    return r;
  }

  /** Every write moves both modification timestamps, as Salesforce does. */
  static void stamp(ObjectNode r, Instant modified) {
    r.put("LastModifiedDate", WireTimestamps.salesforce(modified)).put("SystemModstamp", WireTimestamps.salesforce(modified));
  }

  private static String pick(List<String> values, Random rnd) {
    return values.get(rnd.nextInt(values.size()));
  }
}
