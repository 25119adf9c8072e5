package dev.syncbeam.pipelines.serve;

/** Supaglue's error codes, with the HTTP status each answers with unless the error says otherwise. */
public enum ErrorCode {
  BAD_REQUEST(400, "Bad request"),
  VALIDATION_ERROR(400, "Validation error"),
  UNAUTHORIZED_ERROR(401, "Unauthorized"),
  NOT_FOUND_ERROR(404, "Not found"),
  REMOTE_PROVIDER_ERROR(502, "Remote provider error"),
  INTERNAL_SERVER_ERROR(500, "Internal server error"),
  NOT_IMPLEMENTED_ERROR(501, "Not implemented");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
