package io.minify.probe;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The body of an HTTP request: immutable bytes with value equality, so that two probes that
 * send the same bytes are the same probe. The bytes are never decoded: a body may be any
 * binary upload, and only {@link #toString()} (for messages) shows some of it, as hex.
 */
public final class HttpBody {

  private static final HttpBody EMPTY = new HttpBody(new byte[0]);
  /** Bytes shown by {@link #toString()}: enough to tell bodies apart in a message. */
  private static final int SHOWN_BYTES = 16;

  private final byte[] bytes;

  private HttpBody(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A body of a copy of {@code bytes}: later changes to the array do not change the body. */
  public static HttpBody of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new HttpBody(bytes.clone());
  }

  /** No body. */
  public static HttpBody empty() {
    return EMPTY;
  }

  /** A copy of the bytes, for the caller to keep or hand to I/O. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpBody body && Arrays.equals(bytes, body.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** For messages only: the length and the first bytes in hex, never the bytes as text. */
  @Override
  public String toString() {
    String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, SHOWN_BYTES));
    return "HttpBody[" + bytes.length + " bytes" + (bytes.length == 0 ? "" : ": " + shown
        + (bytes.length > SHOWN_BYTES ? "..." : "")) + "]";
  }
}
