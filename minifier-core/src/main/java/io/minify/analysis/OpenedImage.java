package io.minify.analysis;

import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.pack.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An image read for analysis: its layers on disk in a scratch directory of its own, and
 * their merged view. Closing it closes the view and deletes the scratch directory, so an
 * analysis leaves nothing behind.
 */
public final class OpenedImage implements AutoCloseable {
  private final ImageSource source;
  private final SavedImage saved;
  private final LayeredImageFilesystem filesystem;
  private final Path scratch;

  OpenedImage(ImageSource source, SavedImage saved, LayeredImageFilesystem filesystem, Path scratch) {
    this.source = source;
    this.saved = saved;
    this.filesystem = filesystem;
    this.scratch = scratch;
  }

  public ImageSource source() {
    return source;
  }

  public SavedImage saved() {
    return saved;
  }

  public LayeredImageFilesystem filesystem() {
    return filesystem;
  }

  /** "sha256:&lt;hex&gt;" of the config bytes: the id the engine gives the image. */
  public String imageId() {
    return "sha256:" + Digests.sha256Hex(saved.config());
  }

  @Override
  public void close() throws IOException {
    try {
      filesystem.close();
    } finally {
      deleteTree(scratch);
    }
  }

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
