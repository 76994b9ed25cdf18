package io.minify.probe;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the short probe form of {@code --http-probe-cmd}: {@code [PROTO:]METHOD:PATH}, for
 * example {@code GET:/health}, {@code post:/api/items}, {@code https:get:/}. A bare
 * {@code /path} means GET. The port is left open ({@link #ANY_PORT}): the probe then runs
 * on every exposed port.
 */
public final class ProbeCommandParser {

  /** Port placeholder meaning "each exposed TCP port of the image". */
  public static final int ANY_PORT = 0;

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  private ProbeCommandParser() {}

  /**
   * @throws IllegalArgumentException with a one-line message naming the bad part
   */
  public static HttpProbe parse(String command) {
    String text = command.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty probe command (expected [PROTO:]METHOD:PATH, e.g. GET:/health)");
    }
    HttpProtocol protocol = HttpProtocol.AUTO;
    String method = "GET";
    String path = text;
    if (!text.startsWith("/")) {
      // The first word is a method or a protocol; after the method, everything is the path,
      // colons and all (GET:/api/time?at=2024-07-01T12:00:00Z).
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("probe '" + command + "' is not [PROTO:]METHOD:PATH (e.g. GET:/health)");
      }
      String first = text.substring(0, colon);
      String rest = text.substring(colon + 1);
      if (!METHODS.contains(first.toUpperCase(Locale.ROOT))) {
        // "auto" is what leaving the protocol out means; it is not written
        Optional<HttpProtocol> named = HttpProtocol.fromLabel(first.toLowerCase(Locale.ROOT))
            .filter(p -> p != HttpProtocol.AUTO);
        int second = rest.indexOf(':');
        if (named.isEmpty()) {
          throw new IllegalArgumentException(second < 0 || rest.startsWith("/")
              ? "unknown HTTP method '" + first + "' in probe '" + command + "'"
              : "unknown protocol '" + first + "' in probe '" + command + "' (use http or https)");
        }
        if (second < 0) {
          throw new IllegalArgumentException("probe '" + command + "' is not [PROTO:]METHOD:PATH (e.g. GET:/health)");
        }
        protocol = named.get();
        first = rest.substring(0, second);
        rest = rest.substring(second + 1);
        if (!METHODS.contains(first.toUpperCase(Locale.ROOT))) {
          throw new IllegalArgumentException("unknown HTTP method '" + first + "' in probe '" + command + "'");
        }
      }
      method = first.toUpperCase(Locale.ROOT);
      path = rest;
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path '" + path + "' in probe '" + command + "' must start with '/'");
    }
    if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("path in probe '" + command + "' contains spaces or control characters");
    }
    return new HttpProbe(protocol, method, path, ANY_PORT, Map.of(), HttpBody.empty());
  }
}
