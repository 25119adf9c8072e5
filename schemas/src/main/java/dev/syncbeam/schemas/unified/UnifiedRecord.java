package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.util.Map;

/**
 * One provider record in the unified CRM model. {@link #objectFields()} lists the object's own
 * fields by their snake_case column names, in the crm table's column order; the typed row and the
 * {@code _supaglue_unified_data} JSON are both encoded from it, so they cannot disagree.
 */
public sealed interface UnifiedRecord extends Serializable permits Account, Contact, Lead, Opportunity, User {
  RecordMeta meta();

  /** The common object, which names its table. */
  CommonObject commonObject();

  Map<String, Object> objectFields();
}
