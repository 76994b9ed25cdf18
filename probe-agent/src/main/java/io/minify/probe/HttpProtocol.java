package io.minify.probe;

import java.util.Optional;

/**
 * The protocol of an HTTP probe: what a probe asks for ({@link #HTTP}, {@link #HTTPS} or
 * {@link #AUTO}) and what answered it (only {@link #HTTP} or {@link #HTTPS}: "auto" is
 * resolved by the prober before anything answers).
 */
public enum HttpProtocol {
  /** Plain HTTP (HTTP/1.1, or HTTP/2 over h2c when the server offers it; the bytes hashed are the same). */
  HTTP("http"),
  /** HTTP over TLS, any certificate accepted. */
  HTTPS("https"),
  /** Plain HTTP first, HTTPS once the server shows it does not speak plain HTTP. */
  AUTO("auto");

  private final String label;

  HttpProtocol(String label) {
    this.label = label;
  }

  /** The name users write and the report shows: "http", "https", "auto". */
  public String label() {
    return label;
  }

  /** The protocol whose {@link #label()} is exactly {@code label} (lower case), if any. */
  public static Optional<HttpProtocol> fromLabel(String label) {
    for (HttpProtocol protocol : values()) {
      if (protocol.label.equals(label)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }
}
