package io.minify.build;

import java.nio.file.Path;

/**
 * Where the slim image goes.
 *
 * @param loadIntoEngine whether the slim image stays tagged in the engine
 * @param dockerArchive  also write it as a docker-archive tar here; null for none
 * @param ociLayout      also write it as an OCI image layout directory here; null for none
 */
public record OutputTargets(boolean loadIntoEngine, Path dockerArchive, Path ociLayout) {

  public static OutputTargets defaults() {
    return new OutputTargets(true, null, null);
  }
}
