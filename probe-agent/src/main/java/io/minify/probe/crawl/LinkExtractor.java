package io.minify.probe.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the same-origin links and assets of an HTML page or a stylesheet, the way a browser
 * would request them:
 *
 * <ul>
 *   <li>HTML: {@code a href}, {@code link href} (stylesheets and every other rel: preload,
 *       modulepreload, prefetch, icon, manifest...) and {@code link imagesrcset},
 *       {@code script src}, {@code img src} and {@code srcset}, {@code source srcset}, the
 *       action of GET forms, and the CSS of {@code <style>} blocks and {@code style=}
 *       attributes;
 *   <li>CSS: {@code url(...)} and {@code @import "..."}, resolved against the stylesheet.
 * </ul>
 *
 * A tolerant scanner, not a DOM: real pages are often not well-formed, and only a few
 * attributes matter. Results are request targets ("/path?query"), fragments dropped, in
 * document order.
 */
public final class LinkExtractor {

  /**
   * At each '<': a style block (its CSS), a script element (its src; the body is code, not
   * markup), or any other start tag. Alternatives are tried in this order, so the content of
   * style and script elements is never scanned for tags.
   */
  private static final Pattern ELEMENT = Pattern.compile(
      "<style\\b([^>]*)>(.*?)</style\\s*>"
          + "|<script\\b([^>]*)>.*?</script\\s*>"
          + "|<([a-zA-Z][a-zA-Z0-9-]*)\\b([^>]*)>",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ATTR = Pattern.compile(
      "([a-zA-Z][a-zA-Z0-9_:-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))");
  private static final Pattern HTML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern CSS_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern CSS_URL = Pattern.compile(
      "(?i)\\burl\\(\\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\\s\"']*))\\s*\\)"
          + "|@import\\s+(?:\"([^\"]*)\"|'([^']*)')");

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
    Matcher elements = ELEMENT.matcher(HTML_COMMENT.matcher(html).replaceAll(""));
    while (elements.find()) {
      if (elements.group(2) != null) {
        addCss(out, elements.group(2), base, port); // a style block's CSS is raw text: no entities
        addStyleAttribute(out, elements.group(1), base, port);
        continue;
      }
      if (elements.group(3) != null) {
        add(out, base, attr(elements.group(3), "src"), port);
        addStyleAttribute(out, elements.group(3), base, port);
        continue;
      }
      String tag = elements.group(4).toLowerCase(Locale.ROOT);
      String attrs = elements.group(5);
      if (tag.equals("base")) {
        String href = attr(attrs, "href");
        URI resolved = href == null ? null : resolve(base, href);
        if (resolved != null) {
          base = resolved;
        }
        continue;
      }
      List<String> targets = new ArrayList<>();
      switch (tag) {
        case "a" -> targets.add(attr(attrs, "href"));
        case "link" -> {
          targets.add(attr(attrs, "href"));
          targets.addAll(srcset(attr(attrs, "imagesrcset")));
        }
        case "script" -> targets.add(attr(attrs, "src")); // a script without its end tag
        case "img" -> {
          targets.add(attr(attrs, "src"));
          targets.addAll(srcset(attr(attrs, "srcset")));
        }
        case "source" -> targets.addAll(srcset(attr(attrs, "srcset")));
        case "form" -> {
          String method = attr(attrs, "method");
          if (method == null || method.equalsIgnoreCase("get")) {
            targets.add(orEmpty(attr(attrs, "action")));
          }
        }
        default -> { }
      }
      for (String target : targets) {
        add(out, base, target, port);
      }
      addStyleAttribute(out, attrs, base, port);
    }
    return List.copyOf(out);
  }

  private static void addStyleAttribute(Set<String> out, String attrs, URI base, int port) {
    String style = attr(attrs, "style");
    if (style != null) {
      addCss(out, style, base, port);
    }
  }

  /**
   * The same-origin {@code url(...)}s and {@code @import}s of a stylesheet.
   *
   * @param cssPath the stylesheet's own request target: its urls are relative to it, not to
   *                the page that linked it
   */
  public static List<String> extractCss(String css, String cssPath, int port) {
    Set<String> out = new LinkedHashSet<>();
    addCss(out, css, URI.create("http://localhost:" + port + safe(cssPath)), port);
    return List.copyOf(out);
  }

  /** A redirect's Location as a request target, when it stays on the origin. */
  public static Optional<String> redirectTarget(String location, String pagePath, int port) {
    Set<String> out = new LinkedHashSet<>();
    add(out, URI.create("http://localhost:" + port + safe(pagePath)), location, port);
    return out.stream().findFirst();
  }

  private static void addCss(Set<String> out, String css, URI base, int port) {
    Matcher urls = CSS_URL.matcher(CSS_COMMENT.matcher(css).replaceAll(""));
    while (urls.find()) {
      for (int g = 1; g <= urls.groupCount(); g++) {
        if (urls.group(g) != null) {
          add(out, base, urls.group(g), port);
          break;
        }
      }
    }
  }

  /**
   * The URLs of a {@code srcset} ("a.png 1x, b.png 2x", "s.jpg 480w, l.jpg 1080w"), after
   * the HTML standard's parsing: a candidate is a URL (which may hold commas) followed by
   * descriptors up to the next comma outside parentheses.
   */
  static List<String> srcset(String value) {
    List<String> urls = new ArrayList<>();
    if (value == null) {
      return urls;
    }
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n && (Character.isWhitespace(value.charAt(i)) || value.charAt(i) == ',')) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      String url = value.substring(start, i);
      boolean endedWithComma = url.endsWith(",");
      url = url.replaceAll(",+$", "");
      if (!url.isEmpty()) {
        urls.add(url);
      }
      if (endedWithComma) {
        continue; // no descriptors
      }
      int depth = 0;
      while (i < n && (value.charAt(i) != ',' || depth > 0)) {
        char c = value.charAt(i);
        depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
        i++;
      }
    }
    return urls;
  }

  private static void add(Set<String> out, URI base, String target, int port) {
    if (target == null) {
      return;
    }
    URI resolved = resolve(base, target);
    if (resolved != null && sameOrigin(resolved, port)) {
      String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
      out.add(resolved.getRawQuery() == null ? path : path + "?" + resolved.getRawQuery());
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String safe(String path) {
    return path.startsWith("/") ? path.replace(" ", "%20") : "/";
  }

  /** {@code target} resolved against {@code base}; null when no browser could follow it either. */
  static URI resolve(URI base, String target) {
    String t = target.strip();
    if (t.startsWith("//")) {
      t = "http:" + t;
    }
    try {
      URI uri = new URI(t.replace(" ", "%20"));
      return base.resolve(uri).normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Same origin is the app's own port on localhost or 127.0.0.1: probes send
   * {@code Host: localhost:<container port>}, so that is the origin the app sees.
   */
  static boolean sameOrigin(URI uri, int port) {
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
        // attribute values carry character references; CSS and URLs in them are read decoded
        return unescape(m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4));
      }
    }
    return null;
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&apos;", "'")
        .replace("&amp;", "&").replace("&#38;", "&");
  }
}
