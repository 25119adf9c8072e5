package dev.syncbeam.transforms.notify;

import java.util.Arrays;
import java.util.Base64;

/**
 * A webhook signing secret in Svix's form, {@code whsec_} followed by base64 of the key bytes. It
 * never prints: {@link #toString()} is redacted, and no message made here contains the value.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";
  /** Svix issues 24-byte keys; anything shorter than this is a typo, not a key. */
  private static final int MIN_KEY_BYTES = 16;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * The secret as written in the config.
   *
   * @throws IllegalArgumentException saying what is wrong with its form, never what it holds
   */
  public static WebhookSecret parse(String written) {
    if (written == null || !written.startsWith(PREFIX)) {
      throw new IllegalArgumentException("must be " + PREFIX + "<base64>, as Svix issues signing secrets");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(written.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException("must be " + PREFIX + " followed by base64 (the part after " + PREFIX + " is not base64)");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("holds a " + key.length + "-byte key; a signing secret holds at least " + MIN_KEY_BYTES);
    }
    return new WebhookSecret(key);
  }

  /** The key the HMAC is keyed with (a copy). */
  byte[] key() {
    return Arrays.copyOf(key, key.length);
  }

  @Override
  public String toString() {
    return PREFIX + "***";
  }
}
