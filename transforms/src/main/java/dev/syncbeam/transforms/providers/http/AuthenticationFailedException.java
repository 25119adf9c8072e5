package dev.syncbeam.transforms.providers.http;

import java.io.IOException;

/** The provider refused our credentials and a token refresh could not fix it: the sync must pause until someone acts. */
public final class AuthenticationFailedException extends IOException {
  public AuthenticationFailedException(String message) {
    super(message);
  }
}
