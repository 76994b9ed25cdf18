package io.minify.pack;

import io.minify.digest.Digest;
import java.nio.file.Path;

/**
 * An OCI image layout written by {@link OciLayoutWriter}.
 *
 * @param directory      the layout directory
 * @param manifestDigest the digest of the manifest blob
 * @param configDigest   the digest of the config blob: the image id
 * @param layerDigest    the digest of the gzip-compressed layer blob
 * @param layerSize      bytes of the compressed layer blob
 */
public record OciLayout(Path directory, Digest manifestDigest, Digest configDigest, Digest layerDigest,
    long layerSize) {}
