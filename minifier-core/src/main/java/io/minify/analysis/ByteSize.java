package io.minify.analysis;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as minify reads and writes them. Read: what a user writes for a gate, "123", "50MB",
 * "1.5GiB", "200k" (decimal and binary units). Written: one method per kind of line, because
 * each keeps the unit its readers compare with (see each method); the number is always
 * rounded to the digits shown, in {@link Locale#ROOT}.
 */
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

  /** "93.5 MiB", "512 B": sizes in messages and the xray and diff tables, in the unit that fits. */
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

  /**
   * "2048.0 MiB": always MiB, so the inspect and package stage lines give the original's and
   * the slim layer's sizes in one unit, whatever their sizes.
   */
  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /**
   * "12.3 MB": always decimal megabytes, the unit of the corpus tables that measure what the
   * drop rules take out (README), so the select stage's figure reads against them.
   */
  public static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /**
   * "1.05 GiB", "37.3 MiB", "0.5 KiB": the build's closing before/after table (and its
   * --strip-elf line); from a GiB up with two decimals, so that originals of a GiB or more
   * still show how much the slim image took off.
   */
  public static String summaryTable(long bytes) {
    if (bytes >= 1 << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1 << 30));
    }
    if (bytes >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }
}
