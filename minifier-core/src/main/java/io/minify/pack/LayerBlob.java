package io.minify.pack;

import java.nio.file.Path;

/**
 * A layer tar written to disk.
 *
 * @param file         the uncompressed tar
 * @param diffId       "sha256:&lt;hex&gt;" of the tar's bytes (what a config's rootfs.diff_ids lists)
 * @param size         bytes of the tar
 * @param entries      tar entries written
 * @param contentBytes bytes of regular-file content written (each hardlinked file once)
 */
public record LayerBlob(Path file, String diffId, long size, int entries, long contentBytes) {}
