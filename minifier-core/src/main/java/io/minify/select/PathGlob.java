package io.minify.select;

import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code --exclude-pattern}: a glob over absolute image paths. {@code *} and {@code ?}
 * stay inside one path component, {@code **} crosses components ({@code /a/**}{@code /b}
 * also matches {@code /a/b}), {@code [abc]}, {@code [!a-z]} and {@code {x,y}} as usual,
 * {@code \} quotes the next character. The whole path must match.
 *
 * <p>Paths are bytes, so matching is on bytes: the pattern is compiled from its UTF-8 bytes
 * and run against the path's bytes, each byte seen as the char of the same value
 * (ISO-8859-1 maps bytes to chars one to one; nothing is decoded). {@code ?}, {@code *} and
 * classes step over whole UTF-8 characters, so {@code ?} matches "é" as one character, and a
 * byte that is not UTF-8 counts as one character of its own.
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
            re.append(ONE_CHARACTER).append('*');
            i++;
          }
        }
        case '?' -> {
          re.append(ONE_CHARACTER);
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
          int quoted = glob.codePointAt(i + 1);
          re.append(literal(quoted));
          i += 1 + Character.charCount(quoted);
        }
        default -> {
          int codePoint = glob.codePointAt(i);
          re.append(literal(codePoint));
          i += Character.charCount(codePoint);
        }
      }
    }
    // DOTALL: a name may hold a newline byte, and "**" must step over it too
    return new PathGlob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  /** Appends the character class starting at {@code start} ('['); returns the index after its ']'. */
  private static int appendClass(String glob, int start, StringBuilder re) {
    int i = start + 1;
    boolean negated = false;
    if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
      negated = true;
      i++;
    }
    int first = i;
    List<int[]> ranges = new ArrayList<>(); // {from, to} code points
    boolean ascii = true;
    while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
      int c = glob.codePointAt(i);
      if (c == '/') {
        throw new IllegalArgumentException("'" + glob + "': '/' inside '[...]' at position " + (i + 1)
            + " (a class matches one character of a name)");
      }
      i += Character.charCount(c);
      int to = c;
      if (i + 1 < glob.length() && glob.charAt(i) == '-' && glob.charAt(i + 1) != ']') {
        to = glob.codePointAt(i + 1);
        i += 1 + Character.charCount(to);
        if (to < c) {
          throw new IllegalArgumentException("'" + glob + "': range '" + new String(Character.toChars(c)) + "-"
              + new String(Character.toChars(to)) + "' is backwards");
        }
      }
      ascii &= to < 0x80;
      ranges.add(new int[] {c, to});
    }
    if (i >= glob.length()) {
      throw new IllegalArgumentException("'" + glob + "': unclosed '[' at position " + (start + 1));
    }
    if (ascii) {
      StringBuilder members = new StringBuilder();
      for (int[] r : ranges) {
        members.append(classChar(r[0]));
        if (r[1] != r[0]) {
          members.append('-').append(classChar(r[1]));
        }
      }
      if (negated) {
        // one ASCII byte outside the class (never '/'), or one whole non-ASCII character
        re.append("(?:[^/\\x80-\\xff").append(members).append("]|").append(MULTI_BYTE_CHARACTER).append(')');
      } else {
        re.append('[').append(members).append(']'); // '/' was refused above
      }
      return i + 1;
    }
    List<String> alternatives = new ArrayList<>();
    for (int[] r : ranges) {
      if (r[0] != r[1]) {
        throw new IllegalArgumentException("'" + glob + "': ranges of non-ASCII characters inside '[...]' are not"
            + " supported; list the characters instead");
      }
      alternatives.add(literal(r[0]));
    }
    String any = "(?:" + String.join("|", alternatives) + ")";
    re.append(negated ? "(?!" + any + ")" + ONE_CHARACTER : any);
    return i + 1;
  }

  /**
   * One whole non-ASCII UTF-8 character, or one byte that does not start a valid sequence.
   * Atomic, so a valid sequence is never split into bytes to make a pattern match.
   */
  private static final String MULTI_BYTE_CHARACTER = "(?>[\\xc2-\\xdf][\\x80-\\xbf]|[\\xe0-\\xef][\\x80-\\xbf]{2}"
      + "|[\\xf0-\\xf4][\\x80-\\xbf]{3}|[\\x80-\\xff])";
  /** One character of a name: an ASCII byte other than '/', or a {@link #MULTI_BYTE_CHARACTER}. */
  private static final String ONE_CHARACTER = "(?:[^/\\x80-\\xff]|" + MULTI_BYTE_CHARACTER + ")";

  /** A literal character as the regex of its UTF-8 bytes. */
  private static String literal(int codePoint) {
    byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    return Pattern.quote(new String(utf8, StandardCharsets.ISO_8859_1));
  }

  private static String classChar(int c) {
    char ch = (char) c;
    return (ch == '\\' || ch == '[' || ch == ']' || ch == '&' || ch == '^' || ch == '-') ? "\\" + ch : String.valueOf(ch);
  }

  /** Whether the whole path matches. */
  public boolean matches(UnixPath path) {
    return regex.matcher(new String(path.bytes(), StandardCharsets.ISO_8859_1)).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
