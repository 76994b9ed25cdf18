package io.minify.probe.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the same-origin links and assets of an HTML page: {@code a href}, {@code link href},
 * {@code script src}, {@code img src} and the action of GET forms. A tolerant tag scanner,
 * not a DOM: real pages are often not well-formed, and only attributes of a few tags matter.
 * Results are request targets ("/path?query"), fragments dropped, in page order.
 */
public final class LinkExtractor {

  private static final Pattern TAG = Pattern.compile("<(a|link|script|img|form|base)\\b([^>]*)>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTR = Pattern.compile(
      "([a-zA-Z-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))");
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

  private LinkExtractor() {}

  /**
   * @param html     the page
   * @param pagePath the page's own request target, to resolve relative links
   * @param port     the container port the page came from: absolute links count as
   *                 same-origin when they name localhost or 127.0.0.1 on this port
   */
  public static List<String> extract(String html, String pagePath, int port) {
    Set<String> out = new LinkedHashSet<>();
    URI base = URI.create("http://localhost:" + port + safe(pagePath));
    Matcher tags = TAG.matcher(COMMENT.matcher(html).replaceAll(""));
    while (tags.find()) {
      String tag = tags.group(1).toLowerCase(Locale.ROOT);
      String attrs = tags.group(2);
      String target = switch (tag) {
        case "a", "link", "base" -> attr(attrs, "href");
        case "script", "img" -> attr(attrs, "src");
        case "form" -> {
          String method = attr(attrs, "method");
          yield method == null || method.equalsIgnoreCase("get") ? orEmpty(attr(attrs, "action")) : null;
        }
        default -> null;
      };
      if (target == null) {
        continue;
      }
      if (tag.equals("base")) {
        URI resolved = resolve(base, target);
        if (resolved != null) {
          base = resolved;
        }
        continue;
      }
      URI resolved = resolve(base, target);
      if (resolved != null && sameOrigin(resolved, port)) {
        String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
        out.add(resolved.getRawQuery() == null ? path : path + "?" + resolved.getRawQuery());
      }
    }
    return List.copyOf(out);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String safe(String path) {
    return path.startsWith("/") ? path.replace(" ", "%20") : "/";
  }

  private static URI resolve(URI base, String target) {
    String t = unescape(target.strip());
    if (t.startsWith("//")) {
      t = "http:" + t;
    }
    try {
      URI uri = new URI(t.replace(" ", "%20"));
      return base.resolve(uri).normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null; // not a URL a browser could follow either
    }
  }

  private static boolean sameOrigin(URI uri, int port) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return false; // mailto:, javascript:, data: ...
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int uriPort = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
    return (host.equals("localhost") || host.equals("127.0.0.1")) && uriPort == port;
  }

  private static String attr(String attrs, String name) {
    Matcher m = ATTR.matcher(attrs);
    while (m.find()) {
      if (m.group(1).equalsIgnoreCase(name)) {
        return m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
      }
    }
    return null;
  }

  private static String unescape(String s) {
    return s.replace("&amp;", "&").replace("&#38;", "&").replace("&quot;", "\"").replace("&#39;", "'");
  }
}
