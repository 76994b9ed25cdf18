package io.minify.image;

import io.minify.path.UnixPath;
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

  /** The entry at a path, without following a final symlink. */
  Optional<FileEntry> entry(UnixPath path);

  /** Every entry, sorted by path bytes. "/" is included when a layer declares it. */
  Collection<FileEntry> entries();

  /** Every entry strictly below {@code dir}, sorted by path bytes (nothing for a non-directory). */
  Collection<FileEntry> below(UnixPath dir);

  /** Content of a FILE entry (a HARDLINK entry reads its target's content). */
  InputStream open(FileEntry entry) throws IOException;

  /**
   * Resolves {@code path} inside the image: every component, following symlinks (at most
   * 40), never climbing above "/".
   */
  PathResolution resolve(UnixPath path);

  /**
   * Resolves a path written as text (a search directory of an ELF file, a config value),
   * with ".." components taken after the symlinks before them, as the kernel does.
   */
  PathResolution resolve(String path);

  /** Total bytes of regular-file content (hardlinks counted once). */
  long contentBytes();

  @Override
  void close() throws IOException;
}
