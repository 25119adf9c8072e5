package dev.syncbeam.schemas.unified;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public record Lead(RecordMeta meta, String leadSource, String title, String company, String firstName,
    String lastName, List<Address> addresses, List<EmailAddress> emailAddresses, List<PhoneNumber> phoneNumbers,
    Instant convertedDate, String convertedContactId, String convertedAccountId, String ownerId)
    implements UnifiedRecord {

  public Lead {
    addresses = List.copyOf(addresses);
    emailAddresses = List.copyOf(emailAddresses);
    phoneNumbers = List.copyOf(phoneNumbers);
  }

  @Override public CommonObject commonObject() { return CommonObject.LEADS; }

  @Override public Map<String, Object> objectFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lead_source", leadSource);
    m.put("title", title);
    m.put("company", company);
    m.put("first_name", firstName);
    m.put("last_name", lastName);
    m.put("addresses", addresses);
    m.put("email_addresses", emailAddresses);
    m.put("phone_numbers", phoneNumbers);
    m.put("converted_date", convertedDate);
    m.put("converted_contact_id", convertedContactId);
    m.put("converted_account_id", convertedAccountId);
    m.put("owner_id", ownerId);
    return m;
  }
}
