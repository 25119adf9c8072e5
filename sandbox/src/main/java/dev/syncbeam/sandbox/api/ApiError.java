package dev.syncbeam.sandbox.api;

/** Ends a request with the provider's own error response (bad SOQL, unknown id, search cap...). */
public final class ApiError extends RuntimeException {
  private final transient ApiResponse response;

  public ApiError(ApiResponse response) {
    super("HTTP " + response.status(), null, false, false);
    this.response = response;
  }

  public ApiResponse response() {
    return response;
  }
}
