package io.minify.pipeline;

import io.minify.image.ImageReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.WorkFiles;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.OciLayoutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes the verified image's artifacts ({@code --output-tar}, {@code --output-oci}), each to
 * a temporary name beside its target, renamed into place once complete: a failed build never
 * leaves a half-written artifact (the temporaries are in the cleanup stack until renamed).
 */
final class ArtifactWriter {
  private final CleanupStack cleanup;

  ArtifactWriter(CleanupStack cleanup) {
    this.cleanup = cleanup;
  }

  /** @return what was written, as the user named it */
  List<String> write(OutputTargets out, byte[] originalConfig, LayerBlob layer, DockerArchive verified,
      ImageReference slimTag, UnaryOperator<ObjectNode> newConfig) throws BuildException {
    List<String> written = new ArrayList<>();
    try {
      if (out.dockerArchive() != null) {
        Path target = out.dockerArchive().toAbsolutePath();
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
        CleanupStack.Handle removal = cleanup.push("partial " + target, () -> Files.deleteIfExists(partial));
        DockerArchive tagged = new DockerArchiveWriter().write(originalConfig, layer, Optional.of(slimTag), newConfig,
            partial);
        if (!tagged.imageId().equals(verified.imageId())) {
          throw new IllegalStateException("the tagged archive has image id " + tagged.imageId() + ", the verified one "
              + verified.imageId());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        removal.keep();
        written.add(out.dockerArchive().toString());
      }
      if (out.ociLayout() != null) {
        Path target = out.ociLayout().toAbsolutePath();
        Path partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        CleanupStack.Handle removal = cleanup.push("partial " + target, () -> WorkFiles.deleteTree(partial));
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        new OciLayoutWriter().write(verified.config(), layer, Optional.of(slimTag), partial);
        // rename(2) replaces an empty directory, which validation allowed
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        removal.keep();
        written.add(out.ociLayout().toString());
      }
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image's artifacts failed: " + e, List.of(),
          e);
    }
    return written;
  }

  /**
   * Writes {@code bytes} to {@code target} the same way (a temporary name beside it, renamed
   * into place), mode 0644: a seccomp profile is for the engine's users to read.
   *
   * @return the file as the user named it
   */
  String writeFile(Path target, byte[] bytes) throws BuildException {
    Path absolute = target.toAbsolutePath();
    try {
      Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + "-", ".partial");
      CleanupStack.Handle removal = cleanup.push("partial " + absolute, () -> Files.deleteIfExists(partial));
      Files.write(partial, bytes);
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      removal.keep();
      return target.toString();
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing " + target + " failed: " + e, List.of(), e);
    }
  }
}
