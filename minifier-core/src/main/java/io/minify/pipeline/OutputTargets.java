package io.minify.pipeline;

import java.nio.file.Path;

/**
 * Where the slim image goes, and what describes it.
 *
 * <p>Artifacts are written only after verification passed, under a temporary name beside
 * the target, then renamed into place: a failed build leaves no half-written file. The
 * documents are written after the build returned (see {@link SlimImageDocuments}).
 *
 * @param loadIntoEngine whether the slim image stays tagged in the engine (when not, it is
 *                       loaded under the run's tag for verification only, then removed)
 * @param dockerArchive  also write it as a docker-archive tar here; null for none
 * @param ociLayout      also write it as an OCI image layout directory here; null for none
 * @param sbom           also write a CycloneDX JSON SBOM of the verified slim image here; null for none
 * @param html           also write the build's HTML page (original vs slim, probes, stage timings)
 *                       here; null for none
 * @param seccompProfile also record the app's syscalls and write a Docker seccomp profile of them
 *                       here, which the verification run uses; null for none
 */
public record OutputTargets(boolean loadIntoEngine, Path dockerArchive, Path ociLayout, Path sbom, Path html,
    Path seccompProfile) {

  public OutputTargets {
    if (!loadIntoEngine && dockerArchive == null && ociLayout == null) {
      // the build would verify an image and then throw it away
      throw new IllegalArgumentException("an image that is not loaded needs a docker-archive or OCI layout output");
    }
  }

  /** The slim image's targets without documents. */
  public OutputTargets(boolean loadIntoEngine, Path dockerArchive, Path ociLayout) {
    this(loadIntoEngine, dockerArchive, ociLayout, null, null);
  }

  /** The slim image's targets and documents, without a seccomp profile. */
  public OutputTargets(boolean loadIntoEngine, Path dockerArchive, Path ociLayout, Path sbom, Path html) {
    this(loadIntoEngine, dockerArchive, ociLayout, sbom, html, null);
  }

  /** These targets, with a seccomp profile written to {@code file} (null for none). */
  public OutputTargets withSeccompProfile(Path file) {
    return new OutputTargets(loadIntoEngine, dockerArchive, ociLayout, sbom, html, file);
  }

  /** Whether the app's syscalls are recorded, for {@link #seccompProfile}. */
  public boolean tracesSyscalls() {
    return seccompProfile != null;
  }

  public static OutputTargets defaults() {
    return new OutputTargets(true, null, null);
  }

  /** Whether a document of the slim image (SBOM, HTML page) is asked for. */
  public boolean describesSlimImage() {
    return sbom != null || html != null;
  }
}
