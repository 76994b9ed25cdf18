package io.minify.cli;

import io.minify.analysis.CycloneDxSbom;
import io.minify.analysis.OpenedImage;
import io.minify.pipeline.MinifyVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;

/** Files an analysis writes besides its output ({@code --sbom}, {@code --html}): whole or not at all. */
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

  /** Writes to a temporary name beside the target, then renames: a reader never sees half a file. */
  static void writeText(Path file, String text) throws IOException {
    Path target = file.toAbsolutePath();
    Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
    try {
      Files.writeString(partial, text, StandardCharsets.UTF_8);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** @param name what the SBOM calls the image (the slim tag after a build) */
  static void writeSbom(OpenedImage image, String name, Path file) throws IOException {
    writeText(file, new CycloneDxSbom(MinifyVersion.current()).toJson(name, image.imageId(), image.filesystem())
        + "\n");
  }
}
