package io.minify.analysis;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size a user writes for a gate: "123", "50MB", "1.5GiB", "200k" (decimal and binary units). */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)(b?)",
      Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /** @throws IllegalArgumentException naming the value when it is not a size */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 50MB, 1.5GiB or 123456)");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    boolean binary = !m.group(3).isEmpty() || (unit.isEmpty() ? false : m.group(4).isEmpty());
    if (!m.group(3).isEmpty() && unit.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 50MB, 1.5GiB or 123456)");
    }
    double base = binary ? 1024 : 1000;
    int power = switch (unit) {
      case "k" -> 1;
      case "m" -> 2;
      case "g" -> 3;
      case "t" -> 4;
      default -> 0;
    };
    return Math.round(Double.parseDouble(m.group(1)) * Math.pow(base, power));
  }

  /** "93.5 MiB": sizes in messages and tables. */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
