package io.minify.lint;

import java.util.Map;

/** The builder's variable substitution in the few places lint needs it: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}}. */
final class Variables {
  private Variables() {}

  /** {@code text} with the variables {@code values} names replaced; unknown ones their default, else as written. */
  static String expand(String text, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      if (text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          out.append(text.substring(i));
          break;
        }
        String inner = text.substring(i + 2, close);
        int op = inner.indexOf(":-");
        String name = op < 0 ? inner : inner.substring(0, op);
        String value = values.get(name);
        if (op >= 0 && (value == null || value.isEmpty())) {
          value = inner.substring(op + 2);
        }
        // a variable nothing declares stays as written: lint then knows it cannot tell
        out.append(value != null ? value : text.substring(i, close + 1));
        i = close + 1;
      } else {
        int end = i + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        out.append(values.getOrDefault(text.substring(i + 1, end), text.substring(i, end)));
        i = end;
      }
    }
    return out.toString();
  }
}
