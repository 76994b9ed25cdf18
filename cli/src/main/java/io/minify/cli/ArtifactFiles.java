package io.minify.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Documents a command writes besides its output ({@code --sbom}, {@code --html}), checked
 * before anything starts; {@link io.minify.analysis.DocumentFiles} writes them.
 */
final class ArtifactFiles {
  private ArtifactFiles() {}

  /** A target whose directory does not exist is refused before anything starts. */
  static void validateTarget(CommandLine line, String option, Path file) {
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(file)) {
      throw new CommandLine.ParameterException(line, option + " " + file + ": not a file in an existing directory");
    }
  }
}
