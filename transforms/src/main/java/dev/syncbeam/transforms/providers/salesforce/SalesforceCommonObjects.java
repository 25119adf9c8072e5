package dev.syncbeam.transforms.providers.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.syncbeam.transforms.providers.CommonObjectMapping;
import dev.syncbeam.transforms.providers.FieldReader;
import java.util.Map;

/**
 * Salesforce Account, Contact, Lead, Opportunity and User to the unified model. REST JSON and Bulk
 * CSV rows read alike: every value may arrive as a string.
 */
public final class SalesforceCommonObjects implements CommonObjectMapping {
  private static final Map<CommonObject, ObjectMapping> OBJECTS = Map.of(
      CommonObject.ACCOUNTS, new ObjectMapping("Account", SalesforceCommonObjects::account),
      CommonObject.CONTACTS, new ObjectMapping("Contact", SalesforceCommonObjects::contact),
      CommonObject.LEADS, new ObjectMapping("Lead", SalesforceCommonObjects::lead),
      CommonObject.OPPORTUNITIES, new ObjectMapping("Opportunity", SalesforceCommonObjects::opportunity),
      CommonObject.USERS, new ObjectMapping("User", SalesforceCommonObjects::user));

  @Override public Map<CommonObject, ObjectMapping> objects() {
    return OBJECTS;
  }

  /** updated_at is the version the raw table keeps (SystemModstamp, else LastModifiedDate); User has no IsDeleted. */
  private static RecordMeta meta(Input in) {
    JsonNode r = in.record();
    return new RecordMeta(in.id(), in.read().timestamp(r, "CreatedDate"), in.lastModified(), in.read().flag(r, "IsDeleted"),
        in.version());
  }

  private static Address address(Input in, String prefix, String street, String type) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new Address(f.text(r, street), null, f.text(r, prefix + "City"), f.text(r, prefix + "State"),
        f.text(r, prefix + "PostalCode"), f.text(r, prefix + "Country"), type);
  }

  private static PhoneNumber phone(Input in, String field, String type) {
    return new PhoneNumber(in.read().text(in.record(), field), type);
  }

  static Account account(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new Account(meta(in), f.text(r, "Name"), f.text(r, "Description"), f.text(r, "Industry"), f.text(r, "Website"),
        f.integer(r, "NumberOfEmployees"),
        Address.present(address(in, "Billing", "BillingStreet", "billing"), address(in, "Shipping", "ShippingStreet", "shipping")),
        PhoneNumber.present(phone(in, "Phone", "primary"), phone(in, "Fax", "fax")),
        f.timestamp(r, "LastActivityDate"), null, f.text(r, "OwnerId"));
  }

  static Contact contact(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new Contact(meta(in), f.text(r, "FirstName"), f.text(r, "LastName"),
        Address.present(address(in, "Mailing", "MailingStreet", "mailing"), address(in, "Other", "OtherStreet", "other")),
        EmailAddress.present(new EmailAddress(f.text(r, "Email"), "primary")),
        PhoneNumber.present(phone(in, "Phone", "primary"), phone(in, "MobilePhone", "mobile"), phone(in, "Fax", "fax")),
        null, f.text(r, "AccountId"), f.text(r, "OwnerId"), f.timestamp(r, "LastActivityDate"));
  }

  static Lead lead(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    return new Lead(meta(in), f.text(r, "LeadSource"), f.text(r, "Title"), f.text(r, "Company"), f.text(r, "FirstName"),
        f.text(r, "LastName"), Address.present(address(in, "", "Street", "primary")),
        EmailAddress.present(new EmailAddress(f.text(r, "Email"), "primary")),
        PhoneNumber.present(phone(in, "Phone", "primary")),
        f.timestamp(r, "ConvertedDate"), f.text(r, "ConvertedContactId"), f.text(r, "ConvertedAccountId"),
        f.text(r, "OwnerId"));
  }

  static Opportunity opportunity(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    OpportunityStatus status = f.flag(r, "IsWon") ? OpportunityStatus.WON
        : f.flag(r, "IsClosed") ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
    return new Opportunity(meta(in), f.text(r, "Name"), f.text(r, "Description"), f.decimal(r, "Amount"),
        f.text(r, "StageName"), status, f.timestamp(r, "CloseDate"), null, f.text(r, "AccountId"), f.text(r, "OwnerId"),
        f.timestamp(r, "LastActivityDate"));
  }

  static User user(Input in) {
    FieldReader f = in.read();
    JsonNode r = in.record();
    String name = f.text(r, "Name");
    if (name == null) name = FieldReader.joined(f.text(r, "FirstName"), f.text(r, "LastName"));
    RecordMeta m = meta(in);
    return new User(new RecordMeta(m.id(), m.createdAt(), m.updatedAt(), false, m.lastModifiedAt()), name,
        f.text(r, "Email"), f.bool(r, "IsActive"));
  }
}
