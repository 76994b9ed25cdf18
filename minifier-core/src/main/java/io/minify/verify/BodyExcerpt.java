package io.minify.verify;

import io.minify.run.HttpAnswer;
import java.util.Locale;

/**
 * Where two bodies differ: the first differing byte and a short excerpt of each side around
 * it, escaped (bodies are bytes: printable ASCII stays, the rest is {@code \xNN}).
 */
final class BodyExcerpt {
  private static final int BEFORE = 24;
  private static final int AFTER = 40;

  private BodyExcerpt() {}

  /** "body differs from byte 1093 on (1126 bytes, the original's 1126): original "…", slim "…"". */
  static String describe(String what, HttpAnswer original, HttpAnswer slim) {
    long slimBytes = slim.result().bodyBytes();
    long origBytes = original.result().bodyBytes();
    String sizes = slimBytes + " bytes, the original's " + origBytes;
    byte[] a = original.head();
    byte[] b = slim.head();
    if (a.length == 0 && b.length == 0 && (origBytes > 0 || slimBytes > 0)) {
      return what + " (" + sizes + ")";
    }
    int common = Math.min(a.length, b.length);
    int at = 0;
    while (at < common && a[at] == b[at]) {
      at++;
    }
    if (at == common && !(original.headIsWholeBody() && slim.headIsWholeBody())) {
      return what + " after its first " + common + " bytes (" + sizes + ")";
    }
    return what + " from byte " + at + " on (" + sizes + "): original \"" + excerpt(a, at) + "\", slim \""
        + excerpt(b, at) + "\"";
  }

  /** Like {@link #describe}, at the first difference that is not one number for another. */
  static String describeShape(String what, HttpAnswer original, HttpAnswer slim) {
    byte[] a = original.head();
    byte[] b = slim.head();
    java.util.Optional<int[]> at = HttpAnswer.firstShapeDifference(a, b);
    if (at.isEmpty() || a.length == 0 && b.length == 0) {
      return describe(what, original, slim);
    }
    return what + " at byte " + at.get()[1] + " (" + slim.result().bodyBytes() + " bytes, the original's "
        + original.result().bodyBytes() + "): original \"" + excerpt(a, at.get()[0]) + "\", slim \""
        + excerpt(b, at.get()[1]) + "\"";
  }

  static String excerpt(byte[] body, int at) {
    int from = Math.max(0, at - BEFORE);
    int to = Math.min(body.length, at + AFTER);
    StringBuilder out = new StringBuilder();
    if (from > 0) {
      out.append("...");
    }
    for (int i = from; i < to; i++) {
      int c = body[i] & 0xff;
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
            : String.format(Locale.ROOT, "\\x%02x", c));
      }
    }
    if (to < body.length) {
      out.append("...");
    }
    return out.toString();
  }
}
