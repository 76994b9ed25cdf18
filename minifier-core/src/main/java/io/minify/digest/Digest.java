package io.minify.digest;

import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest as images name what they hold, written {@code sha256:<64 hex digits>}: an
 * image's id is its config's digest, a layer's diff id the digest of its tar, an OCI blob is
 * named by its digest. A value, so an id is never mistaken for a tag or a path, and checked
 * when made, so one never reaches a file name or the engine malformed. JSON (the reports)
 * writes it as its text.
 *
 * @param algorithm what made it
 * @param hex       the hash in lowercase hex digits, as many as the algorithm gives
 */
public record Digest(Algorithm algorithm, String hex) {

  /**
   * The algorithms a digest may name. SHA-256 alone: the engines and every format minify
   * reads or writes name content by it.
   */
  public enum Algorithm {
    SHA256("sha256", "SHA-256", 32);

    private final String label;
    private final String javaName;
    private final int bytes;

    Algorithm(String label, String javaName, int bytes) {
      this.label = label;
      this.javaName = javaName;
      this.bytes = bytes;
    }

    /** As written before the colon ("sha256"), and as the OCI layout's blob directory is named. */
    public String label() {
      return label;
    }

    /** A fresh hasher of this algorithm, for content that streams. */
    public MessageDigest newHasher() {
      try {
        return MessageDigest.getInstance(javaName);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(javaName + " is missing from this JVM", e);
      }
    }
  }

  /** @throws IllegalArgumentException when {@code hex} is not the algorithm's lowercase hex digits */
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    if (!isLowercaseHex(hex, 2 * algorithm.bytes)) {
      throw new IllegalArgumentException("'" + algorithm.label + ":" + hex + "' is not " + algorithm.label + ":<"
          + 2 * algorithm.bytes + " hex digits>");
    }
  }

  /**
   * The digest {@code text} names ({@code sha256:<64 lowercase hex digits>}).
   *
   * @throws IllegalArgumentException naming {@code text}, when it is not one
   */
  public static Digest parse(String text) {
    for (Algorithm algorithm : Algorithm.values()) {
      String hex = text.substring(Math.min(text.length(), algorithm.label.length() + 1));
      if (text.startsWith(algorithm.label + ":") && isLowercaseHex(hex, 2 * algorithm.bytes)) {
        return new Digest(algorithm, hex);
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not sha256:<64 hex digits>");
  }

  /** The SHA-256 digest of {@code content}. */
  public static Digest sha256Of(byte[] content) {
    return of(Algorithm.SHA256, Algorithm.SHA256.newHasher().digest(content));
  }

  /**
   * What {@code hasher} (one of {@link Algorithm#newHasher()}) computed over what it was fed;
   * this finishes it, as {@link MessageDigest#digest()} does.
   */
  public static Digest of(MessageDigest hasher) {
    for (Algorithm algorithm : Algorithm.values()) {
      if (algorithm.javaName.equals(hasher.getAlgorithm())) {
        return of(algorithm, hasher.digest());
      }
    }
    throw new IllegalArgumentException("no digest is made with " + hasher.getAlgorithm());
  }

  private static Digest of(Algorithm algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  private static boolean isLowercaseHex(String text, int length) {
    if (text == null || text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** {@code sha256:<hex>}: how images, engines and minify's reports write it. */
  @JsonValue
  @Override
  public String toString() {
    return algorithm.label + ":" + hex;
  }
}
