package io.minify.pack;

import io.minify.digest.Digest;
import java.nio.file.Path;

/**
 * A layer tar written to disk.
 *
 * @param file           the uncompressed tar
 * @param diffId         the digest of the tar's bytes (what a config's rootfs.diff_ids lists)
 * @param size           bytes of the tar
 * @param entries        tar entries written
 * @param contentBytes   bytes of regular-file content written (each hardlinked file once)
 * @param rewrittenFiles regular files whose content a {@link ContentRewriter} replaced
 *                       (each hardlinked file once)
 * @param rewriteSaved   bytes those rewrites saved: original sizes minus written sizes
 */
public record LayerBlob(Path file, Digest diffId, long size, int entries, long contentBytes, int rewrittenFiles,
    long rewriteSaved) {

  /** A layer whose content was copied as it is. */
  public LayerBlob(Path file, Digest diffId, long size, int entries, long contentBytes) {
    this(file, diffId, size, entries, contentBytes, 0, 0);
  }
}
