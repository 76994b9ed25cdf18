package io.minify.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;

/**
 * The merged filesystem of an image: its layers applied bottom to top, whiteouts
 * (".wh.NAME") and opaque directories (".wh..wh..opq") honoured. Content is read back
 * from the layer tars themselves, never from a running container or the host.
 */
public interface ImageFilesystem extends AutoCloseable {

  /** The entry at an absolute path, without following a final symlink. */
  Optional<FileEntry> entry(String path);

  /** Every entry, sorted by path. "/" is included when a layer declares it. */
  Collection<FileEntry> entries();

  /** Content of a FILE entry (a HARDLINK entry reads its target's content). */
  InputStream open(FileEntry entry) throws IOException;

  /**
   * Resolves {@code path} inside the image: every component, following symlinks (at most
   * 40), ".." never climbing above "/".
   */
  PathResolution resolve(String path);

  /** Total bytes of regular-file content (hardlinks counted once). */
  long contentBytes();

  @Override
  void close() throws IOException;
}
