package io.minify.engine;

import io.minify.digest.Digest;
import io.minify.image.ImageConfig;
import java.util.List;

/**
 * What the engine knows of a local image.
 *
 * @param id        content id: the config's digest, or the manifest's on a containerd image store
 * @param repoTags  tags pointing at it
 * @param sizeBytes the engine's own size figure (uncompressed, all layers)
 * @param layers    number of layers
 * @param config    its run configuration
 */
public record ImageInfo(Digest id, List<String> repoTags, long sizeBytes, int layers, ImageConfig config) {
  public ImageInfo {
    repoTags = List.copyOf(repoTags);
  }
}
