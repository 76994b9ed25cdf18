package io.minify.analysis;

import io.minify.image.WorkFiles;
import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.engine.ImageStore;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.image.ImageFormatException;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Opens images for analysis from any {@link ImageSource}. The engine is connected only when
 * an image comes from it (an archive or a layout is read without one), and once for all the
 * images of a command. Each failure is one line naming the bad part, with the exit code of
 * its kind: a missing image or a file that is not an image is bad input (2), an engine that
 * does not answer is the environment (3).
 */
public final class ImageOpener implements AutoCloseable {
  private final Supplier<ContainerEngine> engines;
  private final Path workRoot;
  private ContainerEngine engine;

  /**
   * @param engines  connects to the engine, when an image needs it
   * @param workRoot where each image's scratch directory is made (and deleted on close)
   */
  public ImageOpener(Supplier<ContainerEngine> engines, Path workRoot) {
    this.engines = engines;
    this.workRoot = workRoot;
  }

  public OpenedImage open(ImageSource source) throws BuildException {
    Path scratch;
    try {
      Files.createDirectories(workRoot);
      scratch = Files.createTempDirectory(workRoot, "minify-analysis-");
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "cannot create a work directory under " + workRoot + ": "
          + e.getMessage(), List.of(), e);
    }
    boolean opened = false;
    try {
      SavedImage saved = read(source, scratch.resolve("layers"));
      OpenedImage image = new OpenedImage(source, saved, LayeredImageFilesystem.open(saved), scratch);
      opened = true;
      return image;
    } catch (ImageFormatException | IOException | EngineException e) {
      // the image's fault names the image; the host's says what failed
      throw Failures.asBuildFailure(e, switch (Failures.kindOf(e)) {
        case BAD_INPUT -> describe(source) + ": " + e.getMessage();
        default -> e instanceof EngineException ? e.getMessage()
            : "reading " + describe(source) + " failed: " + e.getMessage();
      });
    } finally {
      if (!opened) {
        try {
          WorkFiles.deleteTree(scratch);
        } catch (IOException e) {
          // the failure being reported matters more than a scratch file the OS reclaims
        }
      }
    }
  }

  private SavedImage read(ImageSource source, Path layers) throws IOException, ImageFormatException, BuildException {
    switch (source.kind()) {
      case ENGINE -> {
        ImageStore images = engine().images();
        if (images.inspectImage(source.name()).isEmpty()) {
          throw new BuildException(FailureKind.BAD_INPUT, "image '" + source.name()
              + "' is neither in the local engine nor a file or directory (minify never pulls)");
        }
        try (InputStream in = images.saveImage(source.name())) {
          return SavedImage.read(in, layers);
        }
      }
      case DOCKER_ARCHIVE -> {
        if (!Files.isRegularFile(source.path())) {
          throw new BuildException(FailureKind.BAD_INPUT, "docker-archive '" + source.name() + "' is not a file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source.path()), 1 << 16)) {
          return SavedImage.read(in, layers);
        }
      }
      default -> {
        if (!Files.isDirectory(source.path())) {
          throw new BuildException(FailureKind.BAD_INPUT, "OCI layout '" + source.name() + "' is not a directory");
        }
        return new OciLayoutReader().read(source.path(), layers);
      }
    }
  }

  private ContainerEngine engine() {
    if (engine == null) {
      engine = engines.get();
    }
    return engine;
  }

  private static String describe(ImageSource source) {
    return switch (source.kind()) {
      case ENGINE -> "image '" + source.name() + "'";
      case DOCKER_ARCHIVE -> "docker-archive '" + source.name() + "'";
      case OCI_LAYOUT -> "OCI layout '" + source.name() + "'";
    };
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
