package io.minify.verify;

import io.minify.probe.HttpProbe;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request paths the user asked to compare on status and content type only
 * ({@code --verify-loose PATTERN}): pages the user knows to show what differs from run to
 * run. A pattern is matched against the whole path without its query: {@code *} is any
 * run of characters but '/', {@code **} any run at all, {@code ?} one character but '/'.
 *
 * @param patterns the patterns as given, in order
 */
public record LoosePaths(List<String> patterns) {

  public LoosePaths {
    patterns = List.copyOf(patterns);
    for (String p : patterns) {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("path pattern '" + p + "' must start with '/'");
      }
    }
  }

  public static LoosePaths none() {
    return new LoosePaths(List.of());
  }

  public boolean matches(HttpProbe probe) {
    String path = probe.path();
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    for (String p : patterns) {
      if (regex(p).matcher(bare).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern regex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
