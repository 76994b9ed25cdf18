package io.minify.cli;

import io.minify.analysis.ByteSize;
import picocli.CommandLine;

/** Parses the CI gate values; a value that does not parse is one line naming the option, exit 2. */
final class Gates {
  private Gates() {}

  static double fraction(CommandLine line, String option, String value) {
    double parsed = number(line, option, value);
    if (parsed < 0 || parsed > 1) {
      throw new CommandLine.ParameterException(line, option + " '" + value + "': must be between 0 and 1");
    }
    return parsed;
  }

  static double ratio(CommandLine line, String option, String value) {
    double parsed = number(line, option, value);
    if (parsed <= 0) {
      throw new CommandLine.ParameterException(line, option + " '" + value + "': must be above 0");
    }
    return parsed;
  }

  static long size(CommandLine line, String option, String value) {
    try {
      return ByteSize.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, option + ": " + e.getMessage());
    }
  }

  private static double number(CommandLine line, String option, String value) {
    try {
      double parsed = Double.parseDouble(value.strip());
      if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(line, option + " '" + value + "': not a number");
    }
  }
}
