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
      String[] parts = text.split(":", 3);
      int i = 0;
      if (parts.length == 3) {
        // "auto" is what leaving the protocol out means; it is not written
        Optional<HttpProtocol> named = HttpProtocol.fromLabel(parts[0].toLowerCase(Locale.ROOT))
            .filter(p -> p != HttpProtocol.AUTO);
        if (named.isEmpty()) {
          throw new IllegalArgumentException("unknown protocol '" + parts[0] + "' in probe '" + command
              + "' (use http or https)");
        }
        protocol = named.get();
        i = 1;
      } else if (parts.length != 2) {
        throw new IllegalArgumentException("probe '" + command + "' is not [PROTO:]METHOD:PATH (e.g. GET:/health)");
      }
      method = parts[i].toUpperCase(Locale.ROOT);
      if (!METHODS.contains(method)) {
        throw new IllegalArgumentException("unknown HTTP method '" + parts[i] + "' in probe '" + command + "'");
      }
      path = parts[i + 1];
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
