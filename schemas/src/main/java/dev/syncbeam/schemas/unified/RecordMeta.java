package dev.syncbeam.schemas.unified;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The fields every unified record carries: the provider id and its version stamps. */
public record RecordMeta(String id, Instant createdAt, Instant updatedAt, boolean isDeleted, Instant lastModifiedAt)
    implements Serializable {
  public RecordMeta {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lastModifiedAt, "lastModifiedAt");
  }
}
