package io.minify.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Documents an analysis or a build writes besides its output ({@code --sbom}, {@code --html}): whole or not at all. */
public final class DocumentFiles {
  private DocumentFiles() {}

  /** Writes to a temporary name beside the target, then renames: a reader never sees half a file. */
  public static void writeText(Path file, String text) throws IOException {
    Path target = file.toAbsolutePath();
    Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
    try {
      Files.writeString(partial, text, StandardCharsets.UTF_8);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
