package io.minify.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.analysis.ByteSize;
import io.minify.digest.Digest;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.engine.EngineRefusedException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.image.ImageReference;
import io.minify.pack.DockerArchive;
import io.minify.pack.LayerBlob;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stage 7: the keep set becomes one layer on the original's config (with the user's config
 * changes), loaded into the engine under this run's own tag: until it is verified, a failed
 * build leaves no tag of the user's behind, and undoing removes only the run tag.
 *
 * <p>The loaded image is named by that tag everywhere, never by an id: the classic image
 * store names an image by its config digest, the containerd store by its manifest digest, and
 * an archive loaded with a tag needs neither. The config digest stays the image's content id
 * (the report's {@code slimImageId}), the same on both stores.
 */
final class PackageStep implements BuildStep {
  static final Handoff<LayerBlob> LAYER = Handoff.named("the slim layer");
  /** The archive loaded for verification: tagged with the run tag; its image id is the content id. */
  static final Handoff<DockerArchive> LOADED = Handoff.named("the slim archive loaded for verification");
  /** The engine's view of the loaded image: its own id (store-dependent) and size. */
  static final Handoff<ImageInfo> LOADED_IMAGE = Handoff.named("the loaded slim image");
  static final Handoff<UnaryOperator<ObjectNode>> NEW_CONFIG = Handoff.named("the slim image's config changes");
  /** Removes the run's tag from the slim image: for a verified image, untags; else it goes unless held. */
  static final Handoff<CleanupStack.Handle> UNVERIFIED = Handoff.named("the run tag's removal");

  @Override
  public Stage stage() {
    return Stage.PACKAGE;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    ImageStore images = build.services().engine().images();
    ImageContent content = build.get(SelectStep.CONTENT);
    Path workDir = build.get(InspectStep.WORK_DIR);
    // the original's content id, not the engine's id of it: the label is then the same on both image stores
    UnaryOperator<ObjectNode> newConfig = build.options().config().asMutation(
        Digest.sha256Of(content.saved().config()), MinifyVersion.current());
    build.put(NEW_CONFIG, newConfig);
    try {
      Set<UnixPath> kept = build.get(SelectStep.KEEP).reasons().keySet();
      ImageReference runTag = build.get(InspectStep.RUN_TAG);
      SlimImageFiles files = SlimImageFiles.write(content, kept, build.options(), newConfig, runTag, workDir);
      LayerBlob layer = files.layer();
      build.put(LAYER, layer);
      DockerArchive loaded = files.archive();
      build.put(LOADED, loaded);
      // pushed before the load: a load that fails half-way may have set the tag already. Undoing
      // removes only the run's own tag, which never removes an image another build or the user
      // holds by a tag of theirs
      build.put(UNVERIFIED, build.cleanup().push("unverified slim image", () -> images.removeImage(runTag.toString())));
      images.loadImage(loaded.file());
      ImageInfo image = images.inspectImage(runTag.toString()).orElseThrow(() -> new BuildException(
          FailureKind.BUILD_FAILED, "docker load reported no error, but " + build.services().engine().version()
          + " has no image " + runTag + " (content id " + loaded.imageId() + ")", List.of(), null));
      build.put(LOADED_IMAGE, image);
      return "one layer, " + layer.entries() + " entries, " + ByteSize.mib(layer.size())
          + files.packageDb().map(db -> ", " + db).orElse("")
          + (build.options().stripElf() ? ", " + layer.rewrittenFiles() + " ELF file"
              + (layer.rewrittenFiles() == 1 ? "" : "s") + " stripped (" + ByteSize.format(layer.rewriteSaved())
              + " saved)" : "");
    } catch (EngineRefusedException e) {
      // the engine answered, so the host is fine: it refuses what this build wrote (exit 1, not 3)
      throw Failures.asBuildFailure(e, "the engine refused the slim image: " + e.engineMessage());
    } catch (IOException e) {
      throw Failures.asBuildFailure(e, "writing the slim image failed: " + e.getMessage());
    }
  }
}
