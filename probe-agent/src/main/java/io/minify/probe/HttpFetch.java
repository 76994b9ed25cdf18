package io.minify.probe;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A probe's result plus the start of its body: what the crawler reads links from and what
 * an API spec fetched from the app is parsed from.
 *
 * @param result      status, digest and timing, as for any probe
 * @param contentType the Content-Type header, "" when absent or when nothing answered
 * @param body        the first bytes of the body (as many as were asked for)
 */
public record HttpFetch(ProbeResult result, String contentType, byte[] body) {

  public HttpFetch {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** HTML is the only thing the crawler reads links from. */
  public boolean isHtml() {
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
  }
}
