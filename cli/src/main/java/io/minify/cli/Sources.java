package io.minify.cli;

import io.minify.analysis.ImageSource;
import picocli.CommandLine;

/** An IMAGE argument of the analysis commands, read before anything starts. */
final class Sources {
  private Sources() {}

  static ImageSource parse(CommandLine line, String argument) {
    try {
      return ImageSource.parse(argument);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, e.getMessage());
    }
  }
}
