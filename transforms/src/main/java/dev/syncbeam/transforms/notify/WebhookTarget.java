package dev.syncbeam.transforms.notify;

import java.net.URI;

/** Where webhooks go and the secret they are signed with ({@code webhook:} in syncbeam.yaml). */
public record WebhookTarget(URI url, WebhookSecret secret) {
  /** For messages: the receiver's scheme, host and port, never a path or query that may carry a token. */
  public String describe() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public String toString() {
    return describe();
  }
}
