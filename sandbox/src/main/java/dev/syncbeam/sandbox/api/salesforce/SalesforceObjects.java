package dev.syncbeam.sandbox.api.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncbeam.sandbox.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sObjects the sandbox org has and their fields, as describe reports them. Standard objects
 * carry IsDeleted (and so come back from queryAll once deleted); User does not, as in a real org
 * (users are deactivated, never deleted). Account and Contact have a compound address field, which
 * readers must leave out of SOQL.
 */
final class SalesforceObjects {
  record Field(String name, String type, String compoundFieldName, String referenceTo) {
    boolean systemManaged() {
      return List.of("Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp").contains(name) || "address".equals(type);
    }

    boolean custom() {
      return name.endsWith("__c");
    }
  }

  record SObject(String name, String keyPrefix, List<Field> fields) {
    boolean custom() {
      return name.endsWith("__c");
    }

    boolean hasIsDeleted() {
      return field("IsDeleted") != null;
    }

    /** Field names in SOQL are case-insensitive; null when the object has no such field. */
    Field field(String name) {
      for (Field f : fields) if (f.name().equalsIgnoreCase(name)) return f;
      return null;
    }
  }

  static final Map<String, SObject> ALL = new LinkedHashMap<>();

  static {
    add("User", "005", false, "Username:string", "Email:email", "FirstName:string", "LastName:string", "Name:string", "Title:string", "IsActive:boolean");
    add("Account", "001", true, "Name:string", "Type:picklist", "Industry:picklist", "Website:url", "Phone:phone", "NumberOfEmployees:int",
        "AnnualRevenue:currency", "Description:textarea", "BillingStreet:textarea:BillingAddress", "BillingCity:string:BillingAddress",
        "BillingState:string:BillingAddress", "BillingPostalCode:string:BillingAddress", "BillingCountry:string:BillingAddress",
        "BillingAddress:address", "Fax:phone", "ShippingStreet:textarea:ShippingAddress", "ShippingCity:string:ShippingAddress",
        "ShippingState:string:ShippingAddress", "ShippingPostalCode:string:ShippingAddress", "ShippingCountry:string:ShippingAddress",
        "ShippingAddress:address", "OwnerId:reference>User", "LastActivityDate:date");
    add("Contact", "003", true, "AccountId:reference>Account", "FirstName:string", "LastName:string", "Email:email", "Phone:phone",
        "MobilePhone:phone", "Title:string", "Department:string", "LeadSource:picklist", "MailingStreet:textarea:MailingAddress", "MailingCity:string:MailingAddress",
        "MailingState:string:MailingAddress", "MailingPostalCode:string:MailingAddress", "MailingCountry:string:MailingAddress",
        "MailingAddress:address", "Fax:phone", "OtherStreet:textarea:OtherAddress", "OtherCity:string:OtherAddress",
        "OtherState:string:OtherAddress", "OtherPostalCode:string:OtherAddress", "OtherCountry:string:OtherAddress",
        "OtherAddress:address", "OwnerId:reference>User", "LastActivityDate:date");
    add("Lead", "00Q", true, "FirstName:string", "LastName:string", "Company:string", "Title:string", "Email:email", "Phone:phone",
        "LeadSource:picklist", "Status:picklist", "IsConverted:boolean", "ConvertedDate:date", "ConvertedAccountId:reference>Account",
        "ConvertedContactId:reference>Contact", "Street:textarea:Address", "City:string:Address", "State:string:Address",
        "PostalCode:string:Address", "Country:string:Address", "Address:address", "OwnerId:reference>User");
    add("Opportunity", "006", true, "AccountId:reference>Account", "Name:string", "Description:textarea", "Amount:currency",
        "StageName:picklist", "CloseDate:date", "IsClosed:boolean", "IsWon:boolean", "Probability:percent", "OwnerId:reference>User",
        "LastActivityDate:date");
    add("Invoice__c", "a0X", true, "Name:string", "Account__c:reference>Account", "Amount__c:currency", "Status__c:picklist",
        "Due_Date__c:date", "OwnerId:reference>User");
  }

  private SalesforceObjects() {}

  /** Specs are {@code Name:type[:CompoundName]} or {@code Name:reference>Target}. */
  private static void add(String name, String keyPrefix, boolean deletable, String... specs) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("Id", "id", null, null));
    if (deletable) fields.add(new Field("IsDeleted", "boolean", null, null));
    for (String spec : specs) {
      String[] p = spec.split(":");
      String type = p[1], ref = null;
      if (type.startsWith("reference>")) {
        ref = type.substring("reference>".length());
        type = "reference";
      }
      fields.add(new Field(p[0], type, p.length > 2 ? p[2] : null, ref));
    }
    fields.add(new Field("CreatedDate", "datetime", null, null));
    fields.add(new Field("LastModifiedDate", "datetime", null, null));
    fields.add(new Field("SystemModstamp", "datetime", null, null));
    ALL.put(name, new SObject(name, keyPrefix, List.copyOf(fields)));
  }

  static SObject require(String name) {
    for (SObject o : ALL.values()) if (o.name().equalsIgnoreCase(name)) return o;
    return null;
  }

  /** {@code GET sobjects/{Object}/describe}: the parts of the real answer readers use, same key names. */
  static ObjectNode describe(SObject o, String version) {
    ObjectNode d = Json.object().put("name", o.name()).put("label", o.name().replace("__c", "").replace('_', ' '))
        .put("labelPlural", o.name().replace("__c", "") + "s").put("custom", o.custom()).put("keyPrefix", o.keyPrefix())
        .put("queryable", true).put("retrieveable", true).put("replicateable", true).put("createable", true)
        .put("updateable", true).put("deletable", o.hasIsDeleted()).put("undeletable", o.hasIsDeleted());
    ArrayNode fields = d.putArray("fields");
    for (Field f : o.fields()) {
      ObjectNode fd = fields.addObject().put("name", f.name()).put("label", f.name().replace("__c", "").replace('_', ' '))
          .put("type", f.type()).put("soapType", soapType(f.type())).put("custom", f.custom())
          .put("nillable", !f.systemManaged() && !f.name().equals("LastName") && !f.name().equals("Name"))
          .put("createable", !f.systemManaged()).put("updateable", !f.systemManaged()).put("filterable", true).put("sortable", true)
          .put("length", f.type().equals("string") || f.type().equals("textarea") ? 255 : 0);
      if (f.compoundFieldName() == null) fd.putNull("compoundFieldName");
      else fd.put("compoundFieldName", f.compoundFieldName());
      ArrayNode refs = fd.putArray("referenceTo");
      if (f.referenceTo() != null) refs.add(f.referenceTo());
    }
    String base = "/services/data/" + version + "/sobjects/" + o.name();
    d.putObject("urls").put("sobject", base).put("describe", base + "/describe").put("rowTemplate", base + "/{ID}");
    return d;
  }

  private static String soapType(String type) {
    return switch (type) {
      case "id", "reference" -> "tns:ID";
      case "boolean" -> "xsd:boolean";
      case "int" -> "xsd:int";
      case "currency", "percent" -> "xsd:double";
      case "date" -> "xsd:date";
      case "datetime" -> "xsd:dateTime";
      case "address" -> "urn:address";
      default -> "xsd:string";
    };
  }

  /** 18-character ids that sort in creation order, so {@code Id >= 'a' AND Id < 'b'} ranges split work evenly. */
  static String id(SObject o, long sequence) {
    if (sequence < 0) throw new IllegalArgumentException("record sequence numbers start at 0, not " + sequence);
    // zero-padded by hand: String.format here was a fortieth of the API benchmark's CPU
    String digits = Long.toString(sequence);
    StringBuilder id = new StringBuilder(18).append(o.keyPrefix()).append("SB");
    for (int i = digits.length(); i < 10; i++) id.append('0');
    return id.append(digits).append("AAA").toString();
  }
}
