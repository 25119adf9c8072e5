package dev.syncbeam.pipelines.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A refused request, thrown from any handler; the server's one exception mapper turns it into
 * Supaglue's body {@code {"errors":[{id,title,detail,problem_type,code,status,meta:{origin}}]}}.
 */
public final class ServeError extends RuntimeException {
  /** Who refused: SyncBeam itself, or the provider behind it. */
  public enum Origin {
    SYNCBEAM("syncbeam"),
    REMOTE_PROVIDER("remote-provider");

    private final String value;

    Origin(String value) {
      this.value = value;
    }
  }

  private final ErrorCode code;
  private final int status;
  private final Origin origin;

  public ServeError(ErrorCode code, int status, Origin origin, String detail) {
    super(detail);
    this.code = code;
    this.status = status;
    this.origin = origin;
  }

  public static ServeError of(ErrorCode code, String detail) {
    return new ServeError(code, code.status(), Origin.SYNCBEAM, detail);
  }

  public static ServeError badRequest(String detail) {
    return of(ErrorCode.BAD_REQUEST, detail);
  }

  public static ServeError validation(String detail) {
    return of(ErrorCode.VALIDATION_ERROR, detail);
  }

  public static ServeError notFound(String detail) {
    return of(ErrorCode.NOT_FOUND_ERROR, detail);
  }

  public static ServeError unauthorized(String detail) {
    return of(ErrorCode.UNAUTHORIZED_ERROR, detail);
  }

  /** The provider refused; its status (when a 4xx) and message are passed on. */
  public static ServeError remote(int providerStatus, String detail) {
    int status = providerStatus >= 400 && providerStatus < 500 ? providerStatus : ErrorCode.REMOTE_PROVIDER_ERROR.status();
    return new ServeError(ErrorCode.REMOTE_PROVIDER_ERROR, status, Origin.REMOTE_PROVIDER, detail);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return status;
  }

  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("id", UUID.randomUUID().toString());
    error.put("title", code.title());
    error.put("detail", getMessage());
    error.put("problem_type", code.name());
    error.put("code", code.name());
    error.put("status", Integer.toString(status));
    error.put("meta", Map.of("origin", origin.value));
    return Map.of("errors", List.of(error));
  }
}
