package io.minify.probe;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A probe's result plus the start of its body: what the crawler reads links from and what
 * an API spec fetched from the app is parsed from.
 *
 * @param result      status, digest and timing, as for any probe
 * @param contentType the Content-Type header, "" when absent or when nothing answered
 * @param location    the Location header, "" when absent
 * @param body        the first bytes of the body (as many as were asked for)
 */
public record HttpFetch(ProbeResult result, String contentType, String location, byte[] body) {

  private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");

  public HttpFetch {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * The body as text, in the charset the Content-Type names (UTF-8 when it names none or
   * one this JVM lacks). Only for bodies that are text: HTML, CSS, a spec.
   */
  public String bodyText() {
    Matcher m = CHARSET.matcher(contentType);
    Charset charset = StandardCharsets.UTF_8;
    if (m.find()) {
      try {
        charset = Charset.forName(m.group(1));
      } catch (IllegalArgumentException unknown) {
        // an unknown or malformed name: the links in a page are ASCII in nearly every charset
      }
    }
    return new String(body, charset);
  }

  /** HTML: the crawler reads its links and assets. */
  public boolean isHtml() {
    return mediaType().equals("text/html") || mediaType().equals("application/xhtml+xml");
  }

  /** A stylesheet: the crawler reads its {@code url(...)}s and imports. */
  public boolean isCss() {
    return mediaType().equals("text/css");
  }

  /** A redirect the crawler may follow (same origin only). */
  public boolean isRedirect() {
    int status = result.status();
    return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && !location.isBlank();
  }

  /** The Content-Type without its parameters, lower case: "text/html" of "text/HTML; charset=utf-8"; "" when absent. */
  public String mediaType() {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }
}
