package io.minify.select;

import java.util.regex.Pattern;

/**
 * An {@code --exclude-pattern}: a glob over absolute image paths. {@code *} and {@code ?}
 * stay inside one path component, {@code **} crosses components ({@code /a/**}{@code /b}
 * also matches {@code /a/b}), {@code [abc]}, {@code [!a-z]} and {@code {x,y}} as usual,
 * {@code \} quotes the next character. The whole path must match.
 *
 * @param glob  the pattern as the user wrote it
 * @param regex the equivalent regular expression
 */
public record PathGlob(String glob, Pattern regex) {

  /**
   * Compiles {@code glob}; a malformed one is rejected with a message naming the bad part.
   *
   * @throws IllegalArgumentException when the glob is empty, relative, or malformed
   */
  public static PathGlob parse(String glob) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    if (!glob.startsWith("/") && !glob.startsWith("**")) {
      throw new IllegalArgumentException("'" + glob + "' must start with '/' or '**' (patterns match absolute paths)");
    }
    StringBuilder re = new StringBuilder();
    boolean inAlternatives = false;
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            int end = i + 2;
            while (end < glob.length() && glob.charAt(end) == '*') {
              end++;
            }
            boolean slashBefore = i == 0 || glob.charAt(i - 1) == '/';
            boolean slashAfter = end < glob.length() && glob.charAt(end) == '/';
            if (slashBefore && slashAfter) {
              // "/**/" also matches "/": zero or more whole components
              re.append("(?:.*/)?");
              end++;
            } else {
              re.append(".*");
            }
            i = end;
          } else {
            re.append("[^/]*");
            i++;
          }
        }
        case '?' -> {
          re.append("[^/]");
          i++;
        }
        case '[' -> i = appendClass(glob, i, re);
        case '{' -> {
          if (inAlternatives) {
            throw new IllegalArgumentException("'" + glob + "': nested '{' at position " + (i + 1) + " is not supported");
          }
          if (glob.indexOf('}', i) < 0) {
            throw new IllegalArgumentException("'" + glob + "': unclosed '{' at position " + (i + 1));
          }
          inAlternatives = true;
          re.append("(?:");
          i++;
        }
        case '}' -> {
          re.append(inAlternatives ? ")" : Pattern.quote("}"));
          inAlternatives = false;
          i++;
        }
        case ',' -> {
          re.append(inAlternatives ? "|" : ",");
          i++;
        }
        case '\\' -> {
          if (i + 1 >= glob.length()) {
            throw new IllegalArgumentException("'" + glob + "': a trailing '\\' quotes nothing");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
          i += 2;
        }
        default -> {
          re.append(Pattern.quote(String.valueOf(c)));
          i++;
        }
      }
    }
    return new PathGlob(glob, Pattern.compile(re.toString()));
  }

  /** Appends the character class starting at {@code start} ('['); returns the index after its ']'. */
  private static int appendClass(String glob, int start, StringBuilder re) {
    int i = start + 1;
    StringBuilder cls = new StringBuilder("[");
    if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
      cls.append('^');
      i++;
    }
    int first = i;
    while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
      char c = glob.charAt(i);
      if (c == '/') {
        throw new IllegalArgumentException("'" + glob + "': '/' inside '[...]' at position " + (i + 1)
            + " (a class matches one character of a name)");
      }
      if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
        cls.append('\\');
      }
      cls.append(c);
      i++;
    }
    if (i >= glob.length()) {
      throw new IllegalArgumentException("'" + glob + "': unclosed '[' at position " + (start + 1));
    }
    // a class never matches the separator, like '*' and '?'
    re.append("(?!/)").append(cls).append(']');
    return i + 1;
  }

  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
