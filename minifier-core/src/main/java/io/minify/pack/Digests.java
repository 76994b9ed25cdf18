package io.minify.pack;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for content-addressed names ("sha256:&lt;hex&gt;"). */
public final class Digests {
  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String sha256Hex(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }
}
