package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.WorkFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The build's own directory under {@code --work-dir}, deleted with everything in it. */
final class WorkDirectory {

  /** How the names of build work directories begin ({@link LeftoverReaper} deletes no other). */
  static final String PREFIX = "minify-";

  private WorkDirectory() {}

  /** Creates a fresh directory under {@code root} and registers its deletion. */
  static Path create(Path root, CleanupStack cleanup) throws BuildException {
    try {
      Files.createDirectories(root);
      // 0700: the image's layers and the slim image in it are the image's secrets. The start
      // gate's own directory inside is 0755 for the app's user, who reaches it through its bind
      // mount, never through this path
      Path dir = Files.createTempDirectory(root, PREFIX,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      cleanup.push("work directory", () -> WorkFiles.deleteTree(dir));
      return dir;
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "cannot create a work directory under " + root + ": "
          + e.getMessage(), List.of(), e);
    }
  }
}
