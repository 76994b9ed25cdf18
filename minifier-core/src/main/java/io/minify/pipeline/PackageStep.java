package io.minify.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.ImageReference;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import io.minify.packages.PackageDatabaseTrimmer;
import io.minify.packages.TrimmedPackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  /** Removes the run's tag from the slim image: for a verified image, untags; else it goes unless held. */
  static final Handoff<CleanupStack.Handle> UNVERIFIED = Handoff.named("the run tag's removal");

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
      Set<UnixPath> kept = build.get(SelectStep.KEEP).reasons().keySet();
      // the package database, trimmed to what is kept, so a scanner reports what is shipped
      Optional<TrimmedPackageDatabase> packageDb = build.options().keepPackageDb()
          ? PackageDatabaseTrimmer.trim(content.filesystem(), kept) : Optional.empty();
      LayerBlob layer = new LayerTarWriter(content.filesystem()).write(
          packageDb.map(db -> db.layerPaths(kept)).orElse(kept),
          packageDb.map(TrimmedPackageDatabase::replacedContents).orElse(Map.of()), workDir.resolve("slim-layer.tar"));
      build.put(LAYER, layer);
      DockerArchive untagged = new DockerArchiveWriter().write(content.saved().config(), layer, Optional.empty(),
          newConfig, workDir.resolve("slim-image.tar"));
      build.put(UNTAGGED, untagged);
      String slimId = untagged.imageId();
      ImageReference runTag = build.get(InspectStep.RUN_TAG);
      // a load that fails half-way may leave an image behind that nobody tagged
      boolean existed = engine.inspectImage(slimId).isPresent();
      CleanupStack.Handle halfLoaded = existed ? null
          : build.cleanup().push("half-loaded slim image", () -> engine.removeImage(slimId));
      loadAndTag(engine, untagged, runTag);
      // from here the run's own tag holds the image for this build: undoing removes only that
      // tag, which never removes an image another build or the user holds by a tag of theirs
      build.put(UNVERIFIED, build.cleanup().push("unverified slim image", () -> engine.removeImage(runTag.toString())));
      if (halfLoaded != null) {
        halfLoaded.keep();
      }
      return "one layer, " + layer.entries() + " entries, " + Sizes.mib(layer.size())
          + packageDb.map(db -> ", " + db).orElse("");
    } catch (EngineRefusedException e) {
      // the engine answered, so the host is fine: it refuses what this build wrote (exit 1, not 3)
      throw new BuildException(FailureKind.BUILD_FAILED, "the engine refused the slim image: "
          + e.engineMessage(), List.of(), e);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image failed: " + e.getMessage(), List.of(),
          e);
    }
  }

  /**
   * Loads the archive and puts the run's tag on the image. Another build of the same image
   * that fails may remove the last tag of that same image id between the two calls (a load of
   * an image the engine has adds no reference): then the image is loaded once more.
   */
  private static void loadAndTag(ContainerEngine engine, DockerArchive untagged, ImageReference runTag)
      throws IOException, BuildException {
    for (int attempt = 1; ; attempt++) {
      engine.loadImage(untagged.file());
      try {
        engine.tagImage(untagged.imageId(), runTag.repository(), runTag.tag());
        return;
      } catch (EngineException gone) {
        if (attempt < 2) {
          continue;
        }
        if (engine.inspectImage(untagged.imageId()).isEmpty()) {
          throw new BuildException(FailureKind.BUILD_FAILED, "docker load reported no error, but the engine"
              + " has no image " + untagged.imageId(), List.of(), gone);
        }
        throw gone;
      }
    }
  }
}
