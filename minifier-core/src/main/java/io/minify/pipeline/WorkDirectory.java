package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The build's own directory under {@code --work-dir}, deleted with everything in it. */
final class WorkDirectory {

  private WorkDirectory() {}

  /** Creates a fresh directory under {@code root} and registers its deletion. */
  static Path create(Path root, CleanupStack cleanup) throws BuildException {
    try {
      Files.createDirectories(root);
      // 0700: the image's layers and the slim image in it are the image's secrets. The start
      // gate's own directory inside is 0755 for the app's user, who reaches it through its bind
      // mount, never through this path
      Path dir = Files.createTempDirectory(root, "minify-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      cleanup.push("work directory", () -> deleteTree(dir));
      return dir;
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "cannot create a work directory under " + root + ": "
          + e.getMessage(), List.of(), e);
    }
  }

  /**
   * Deletes {@code dir} and what is in it. One pass is enough: whatever writes into the work
   * directory (the image reader) is stopped and awaited by an action that runs before this one.
   */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
