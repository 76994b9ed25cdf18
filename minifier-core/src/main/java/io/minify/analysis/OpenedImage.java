package io.minify.analysis;

import io.minify.digest.Digest;
import io.minify.image.WorkFiles;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.io.IOException;
import java.nio.file.Path;

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

  /** The digest of the config bytes: the id the engine gives the image. */
  public Digest imageId() {
    return Digest.sha256Of(saved.config());
  }

  @Override
  public void close() throws IOException {
    try {
      filesystem.close();
    } finally {
      WorkFiles.deleteTree(scratch);
    }
  }
}
