package io.minify.pipeline;

import java.nio.file.Path;

/**
 * Where the slim image goes.
 *
 * <p>Artifacts are written only after verification passed, under a temporary name beside
 * the target, then renamed into place: a failed build leaves no half-written file.
 *
 * @param loadIntoEngine whether the slim image stays tagged in the engine (when not, it is
 *                       loaded under the run's tag for verification only, then removed)
 * @param dockerArchive  also write it as a docker-archive tar here; null for none
 * @param ociLayout      also write it as an OCI image layout directory here; null for none
 */
public record OutputTargets(boolean loadIntoEngine, Path dockerArchive, Path ociLayout) {

  public OutputTargets {
    if (!loadIntoEngine && dockerArchive == null && ociLayout == null) {
      // the build would verify an image and then throw it away
      throw new IllegalArgumentException("an image that is not loaded needs a docker-archive or OCI layout output");
    }
  }

  public static OutputTargets defaults() {
    return new OutputTargets(true, null, null);
  }
}
