package io.minify.run;

import io.minify.digest.Digest;
import io.minify.probe.HttpFetch;
import io.minify.probe.ProbeResult;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP answer as verification needs it: the result (status, body digest and length), the
 * media type, the first bytes of the body (to say where two bodies differ) and the body's
 * {@linkplain #shape() shape}.
 *
 * @param result    status, digest, timing
 * @param mediaType the Content-Type without parameters, lower case; "" when absent
 * @param head      the first bytes of the body, at most {@link #KEPT_BYTES}; empty when not kept
 * @param shape     what stays when the parts of a body that commonly change between runs are
 *                  masked (of a JSON body: of its {@linkplain CanonicalJson canonical form});
 *                  "" when unknown (no answer, or a body longer than what was read)
 * @param json      the digest of a JSON body's canonical form (its objects' members in name
 *                  order); "" when the body is not JSON or not all of it was read
 */
public record HttpAnswer(ProbeResult result, String mediaType, byte[] head, String shape, String json) {

  /** Bytes of each body read for its shape and kept for the excerpt. Pages are smaller; bounded for memory. */
  public static final int KEPT_BYTES = 128 << 10;

  public HttpAnswer {
    head = head.clone();
  }

  @Override
  public byte[] head() {
    return head.clone();
  }

  /**
   * The answer to keep of a fetch that asked for {@link #KEPT_BYTES}.
   *
   * @param keepHead whether to keep the body's first bytes (the shape is computed either way)
   */
  public static HttpAnswer of(HttpFetch fetch, boolean keepHead) {
    ProbeResult r = fetch.result();
    String type = fetch.mediaType();
    byte[] body = fetch.body();
    boolean complete = r.answered() && body.length == r.bodyBytes();
    byte[] head = keepHead ? Arrays.copyOf(body, Math.min(body.length, KEPT_BYTES)) : new byte[0];
    if (!complete) {
      return new HttpAnswer(r, type, head, "", "");
    }
    Optional<byte[]> canonical = CanonicalJson.isJson(type) ? CanonicalJson.of(body) : Optional.empty();
    return new HttpAnswer(r, type, head, shapeOf(type, canonical.orElse(body)),
        canonical.map(json -> Digest.sha256Of(json).hex()).orElse(""));
  }

  /** An answer without the body's bytes: what a prober that does not keep bodies gave. */
  public static HttpAnswer withoutBody(ProbeResult result) {
    return new HttpAnswer(result, "", new byte[0], "", "");
  }

  /** The same body bytes (both answered). */
  public boolean sameBody(HttpAnswer other) {
    return result.answered() && other.result.answered() && result.bodyBytes() == other.result.bodyBytes()
        && Objects.equals(result.bodySha256(), other.result.bodySha256());
  }

  /**
   * The same content: the same bytes, or JSON documents that differ only in the order of
   * their objects' members (an order many apps do not keep from run to run).
   */
  public boolean sameContent(HttpAnswer other) {
    return sameBody(other) || result.answered() && other.result.answered() && result.status() == other.result.status()
        && !json.isEmpty() && json.equals(other.json);
  }

  /** The same shape, both known. */
  public boolean sameShape(HttpAnswer other) {
    return !shape.isEmpty() && shape.equals(other.shape);
  }

  /** Whether {@link #head} holds the whole body. */
  public boolean headIsWholeBody() {
    return head.length == result.bodyBytes();
  }

  /**
   * A body's shape. Text (HTML, XML, JSON, CSS, scripts, plain text): the bytes with every
   * word that holds a digit replaced by one '#', so a time, a date, a counter, an id or a
   * token (which nearly always holds a digit) does not count while every word and every tag
   * does: a page that shows an error where a file's content was has another shape. Other
   * bodies: their length.
   */
  static String shapeOf(String mediaType, byte[] body) {
    if (!isText(mediaType, body)) {
      return "bytes:" + body.length;
    }
    byte[] masked = new byte[body.length];
    int n = 0;
    int i = 0;
    while (i < body.length) {
      if (!isWordByte(body[i])) {
        masked[n++] = body[i++];
        continue;
      }
      int start = i;
      boolean digit = false;
      while (i < body.length && isWordByte(body[i])) {
        digit |= body[i] >= '0' && body[i] <= '9';
        i++;
      }
      if (digit) {
        masked[n++] = '#';
      } else {
        System.arraycopy(body, start, masked, n, i - start);
        n += i - start;
      }
    }
    return "text:" + Digest.sha256Of(Arrays.copyOf(masked, n)).hex();
  }

  /**
   * Where two bodies first differ in shape: the offsets in each (words that both hold a digit
   * are passed over as equal), or empty when their shapes agree as far as both go.
   */
  public static java.util.Optional<int[]> firstShapeDifference(byte[] a, byte[] b) {
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (isWordByte(a[i]) && isWordByte(b[j])) {
        int ei = wordEnd(a, i);
        int ej = wordEnd(b, j);
        boolean bothNumbers = hasDigit(a, i, ei) && hasDigit(b, j, ej);
        if (!bothNumbers && !java.util.Arrays.equals(a, i, ei, b, j, ej)) {
          return java.util.Optional.of(new int[] {i, j});
        }
        i = ei;
        j = ej;
      } else if (a[i] == b[j] && !isWordByte(a[i])) {
        i++;
        j++;
      } else {
        return java.util.Optional.of(new int[] {i, j});
      }
    }
    return i == a.length && j == b.length ? java.util.Optional.empty() : java.util.Optional.of(new int[] {i, j});
  }

  private static int wordEnd(byte[] body, int from) {
    int i = from;
    while (i < body.length && isWordByte(body[i])) {
      i++;
    }
    return i;
  }

  private static boolean hasDigit(byte[] body, int from, int to) {
    for (int i = from; i < to; i++) {
      if (body[i] >= '0' && body[i] <= '9') {
        return true;
      }
    }
    return false;
  }

  /** Letters, digits and the characters of ids, times and tokens ("2026-12-07T02", "a1_b2", "dGVzdA=="). */
  private static boolean isWordByte(byte b) {
    return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '_' || b == '+'
        || b == '/' || b == '=' || b == '.';
  }

  private static boolean isText(String mediaType, byte[] body) {
    if (mediaType.startsWith("text/") || mediaType.endsWith("json") || mediaType.endsWith("xml")
        || mediaType.endsWith("javascript") || mediaType.endsWith("+json") || mediaType.endsWith("+xml")
        || mediaType.equals("application/x-www-form-urlencoded")) {
      return true;
    }
    if (!mediaType.isEmpty()) {
      return false;
    }
    // no type: text when its start has no NUL byte (what file(1) and browsers sniff first)
    int sniff = Math.min(body.length, 512);
    for (int i = 0; i < sniff; i++) {
      if (body[i] == 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpAnswer a && result.equals(a.result) && mediaType.equals(a.mediaType)
        && Arrays.equals(head, a.head) && shape.equals(a.shape) && json.equals(a.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(result, mediaType, Arrays.hashCode(head), shape, json);
  }

  @Override
  public String toString() {
    return "HttpAnswer[" + result.status() + " " + mediaType + ", " + result.bodyBytes() + " bytes]";
  }
}
