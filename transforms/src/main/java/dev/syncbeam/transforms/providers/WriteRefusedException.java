package dev.syncbeam.transforms.providers;

/**
 * A unified record the provider's write mapping cannot turn into a request (an unknown pipeline or
 * stage, a person without a name): refused before anything is sent, with a message for the caller.
 */
public final class WriteRefusedException extends RuntimeException {
  public WriteRefusedException(String message) {
    super(message);
  }
}
