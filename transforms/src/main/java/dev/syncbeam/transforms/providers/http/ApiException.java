package dev.syncbeam.transforms.providers.http;

import java.io.IOException;

/** A request the provider answered with a permanent error (4xx other than 401/429), or that kept failing past every retry. */
public class ApiException extends IOException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status, or 0 when no response came at all. */
  public int status() {
    return status;
  }
}
