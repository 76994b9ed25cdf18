package io.minify.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineRefusedException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Stage 7: the keep set becomes one layer on the original's config (with the user's config
 * changes), loaded into the engine untagged: until it is verified, a failed build leaves no
 * tag behind, and the image is removed again unless it existed before.
 */
final class PackageStep implements BuildStep {
  static final Handoff<LayerBlob> LAYER = Handoff.named("the slim layer");
  static final Handoff<DockerArchive> UNTAGGED = Handoff.named("the untagged slim archive");
  static final Handoff<UnaryOperator<ObjectNode>> NEW_CONFIG = Handoff.named("the slim image's config changes");
  /** Empty when the engine had the very same image before this build: it is not ours to remove. */
  static final Handoff<Optional<CleanupStack.Handle>> UNVERIFIED = Handoff.named("the unverified image's removal");

  @Override
  public Stage stage() {
    return Stage.PACKAGE;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    ContainerEngine engine = build.services().engine();
    ImageContent content = build.get(SelectStep.CONTENT);
    Path workDir = build.get(InspectStep.WORK_DIR);
    UnaryOperator<ObjectNode> newConfig = build.options().config().asMutation(build.get(InspectStep.IMAGE).id(),
        MinifyVersion.current());
    build.put(NEW_CONFIG, newConfig);
    try {
      LayerBlob layer = new LayerTarWriter(content.filesystem())
          .write(build.get(SelectStep.KEEP).reasons().keySet(), workDir.resolve("slim-layer.tar"));
      build.put(LAYER, layer);
      DockerArchive untagged = new DockerArchiveWriter().write(content.saved().config(), layer, Optional.empty(), newConfig,
          workDir.resolve("slim-image.tar"));
      build.put(UNTAGGED, untagged);
      String slimId = untagged.imageId();
      boolean existed = engine.inspectImage(slimId).isPresent();
      // pushed before the load: a load that fails half-way may still leave the image behind
      build.put(UNVERIFIED, existed ? Optional.empty()
          : Optional.of(build.cleanup().push("unverified slim image", () -> engine.removeImage(slimId))));
      engine.loadImage(untagged.file());
      if (engine.inspectImage(slimId).isEmpty()) {
        throw new BuildException(FailureKind.BUILD_FAILED, "package: docker load reported no error, but the engine"
            + " has no image " + slimId);
      }
      return "one layer, " + layer.entries() + " entries, " + Sizes.mib(layer.size());
    } catch (EngineRefusedException e) {
      // the engine answered, so the host is fine: it refuses what this build wrote (exit 1, not 3)
      throw new BuildException(FailureKind.BUILD_FAILED, "package: the engine refused the slim image: "
          + e.engineMessage(), List.of(), e);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image failed: " + e.getMessage(), List.of(),
          e);
    }
  }
}
