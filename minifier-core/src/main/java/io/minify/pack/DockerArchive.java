package io.minify.pack;

import io.minify.digest.Digest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A docker-archive written by {@link DockerArchiveWriter}, ready for {@code docker load}.
 *
 * @param file     the archive tar
 * @param imageId  the digest of {@code config}: the id the engine will give the image
 * @param config   the rewritten image config, exactly as stored in the archive
 * @param repoTags the tags recorded in manifest.json (normalized, e.g. "app.slim:latest")
 */
public record DockerArchive(Path file, Digest imageId, byte[] config, List<String> repoTags) {
  public DockerArchive {
    config = config.clone();
    repoTags = List.copyOf(repoTags);
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DockerArchive that && file.equals(that.file) && imageId.equals(that.imageId)
        && Arrays.equals(config, that.config) && repoTags.equals(that.repoTags);
  }

  @Override
  public int hashCode() {
    return imageId.hashCode();
  }

  @Override
  public String toString() {
    return "DockerArchive[file=" + file + ", imageId=" + imageId + ", repoTags=" + repoTags + "]";
  }
}
