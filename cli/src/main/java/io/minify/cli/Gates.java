package io.minify.cli;

import io.minify.analysis.ByteSize;
import picocli.CommandLine;

/**
 * The CI gate values, converted once as picocli reads them: a value that does not parse is
 * one line naming the option, exit 2, before anything runs. Each keeps the text the user
 * gave, which the failure line quotes.
 */
final class Gates {
  private Gates() {}

  /** A number a measure must reach, as given ("2.5") and as read. */
  record Threshold(String given, double value) {}

  /** A size a measure must stay within, as given ("50MB") and in bytes. */
  record ByteLimit(String given, long bytes) {}

  /** A ratio: a number above 0. */
  static final class Ratio implements CommandLine.ITypeConverter<Threshold> {
    @Override
    public Threshold convert(String value) {
      double parsed = number(value);
      if (parsed <= 0) {
        throw BadValue.quoting(value, "must be above 0");
      }
      return new Threshold(value, parsed);
    }
  }

  /** A fraction: a number from 0 to 1. */
  static final class Fraction implements CommandLine.ITypeConverter<Threshold> {
    @Override
    public Threshold convert(String value) {
      double parsed = number(value);
      if (parsed < 0 || parsed > 1) {
        throw BadValue.quoting(value, "must be between 0 and 1");
      }
      return new Threshold(value, parsed);
    }
  }

  /** A size: bytes, or a number with a unit ({@link ByteSize#parse}). */
  static final class Size implements CommandLine.ITypeConverter<ByteLimit> {
    @Override
    public ByteLimit convert(String value) {
      try {
        return new ByteLimit(value, ByteSize.parse(value));
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  private static double number(String value) {
    try {
      double parsed = Double.parseDouble(value.strip());
      if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw BadValue.quoting(value, "not a number");
    }
  }
}
