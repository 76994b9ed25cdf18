package io.minify.pack;

import io.minify.image.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Gives some kept regular files other content as the layer is written (stripping ELF files),
 * streamed from their original content. A rewrite must be a function of the file's content
 * alone, so the layer stays reproducible.
 */
@FunctionalInterface
public interface ContentRewriter {
  /** Copies every file as it is. */
  ContentRewriter NONE = file -> Optional.empty();

  /**
   * How the content of {@code file} (a FILE entry: the one holding the bytes of a hardlinked
   * inode) is rewritten; empty to copy it as it is.
   */
  Optional<Rewrite> plan(FileEntry file) throws IOException;

  /** The new content of one file. */
  interface Rewrite {
    /** Bytes {@link #write} writes (the tar header holds it before the content). */
    long size();

    /** Writes the new content reading the original (from its first byte) forwards; closes neither. */
    void write(InputStream original, OutputStream out) throws IOException;
  }
}
