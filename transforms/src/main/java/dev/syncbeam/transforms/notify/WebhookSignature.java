package dev.syncbeam.transforms.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a delivery the way Svix and Standard Webhooks do, so receivers that verified Supaglue's
 * webhooks with those libraries keep working: {@code v1,} + base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the decoded secret, in {@code webhook-*} and {@code svix-*} headers.
 */
public final class WebhookSignature {
  private WebhookSignature() {}

  public static String sign(WebhookSecret secret, String eventId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      byte[] digest = mac.doFinal((eventId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  /** The six headers of one delivery attempt, unbranded first. */
  public static Map<String, String> headers(WebhookSecret secret, String eventId, long timestampSeconds, String body) {
    String signature = sign(secret, eventId, timestampSeconds, body);
    Map<String, String> h = new LinkedHashMap<>();
    for (String brand : new String[] {"webhook", "svix"}) {
      h.put(brand + "-id", eventId);
      h.put(brand + "-timestamp", Long.toString(timestampSeconds));
      h.put(brand + "-signature", signature);
    }
    return h;
  }
}
