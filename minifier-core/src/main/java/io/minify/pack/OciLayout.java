package io.minify.pack;

import java.nio.file.Path;

/**
 * An OCI image layout written by {@link OciLayoutWriter}.
 *
 * @param directory      the layout directory
 * @param manifestDigest "sha256:&lt;hex&gt;" of the manifest blob
 * @param configDigest   "sha256:&lt;hex&gt;" of the config blob: the image id
 * @param layerDigest    "sha256:&lt;hex&gt;" of the gzip-compressed layer blob
 * @param layerSize      bytes of the compressed layer blob
 */
public record OciLayout(Path directory, String manifestDigest, String configDigest, String layerDigest,
    long layerSize) {}
