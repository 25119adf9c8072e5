package dev.syncbeam.pipelines.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** The configured API keys. Compared as SHA-256 digests with {@link MessageDigest#isEqual} so timing tells nothing about a key. */
final class ApiKeys {
  private final List<byte[]> digests;

  ApiKeys(List<String> keys) {
    this.digests = keys.stream().map(ApiKeys::digest).toList();
  }

  boolean accepts(String presented) {
    if (presented == null || presented.isEmpty()) return false;
    byte[] d = digest(presented);
    boolean ok = false;
    for (byte[] key : digests) ok |= MessageDigest.isEqual(key, d); // no early exit: every key is compared
    return ok;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
