package io.minify.pipeline;

import io.minify.analysis.ByteSize;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.EntryType;
import io.minify.image.ImageFilesystem;
import io.minify.select.KeepRuleException;
import io.minify.select.KeepSet;
import io.minify.select.KeepSetSelector;
import io.minify.sensor.AccessLog;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stage 6: waits for the image reader and for the engine's list of what the run changed,
 * then turns what the app opened and wrote into the keep set (libraries, keep units, the
 * user's rules).
 */
final class SelectStep implements BuildStep {
  static final Handoff<ImageContent> CONTENT = Handoff.named("the original's files");
  static final Handoff<AccessLog> ACCESS = Handoff.named("what the original opened and changed");
  static final Handoff<KeepSet> KEEP = Handoff.named("the keep set");

  @Override
  public Stage stage() {
    return Stage.SELECT;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    ImageContent content = build.get(InspectStep.READER).await();
    StartStep.refuseTakenGateMountPoint(content);
    build.put(CONTENT, content);
    AccessLog access = build.get(StopStep.CHANGES).await();
    build.put(ACCESS, access);
    ImageFilesystem fs = content.filesystem();
    KeepSet keep;
    try {
      keep = new KeepSetSelector(fs, build.get(InspectStep.CONFIG), build.options().selectionRules())
          .select(access);
    } catch (KeepRuleException e) {
      throw new BuildException(FailureKind.BAD_INPUT, e.getMessage());
    }
    build.put(KEEP, keep);
    return keep.size() + " of " + fs.entries().size() + " entries kept"
        + (keep.excluded().isEmpty() ? "" : ", " + keep.excluded().size() + " excluded by pattern")
        + (keep.dropped().isEmpty() ? "" : ", " + keep.dropped().size() + " that no loader reads dropped ("
            + ByteSize.megabytes(droppedBytes(fs, keep)) + ")")
        + Stream.concat(build.get(StartStep.RUN).warnings().stream(), keep.warnings().stream())
            .map(w -> "; warning: " + w).collect(Collectors.joining());
  }

  private static long droppedBytes(ImageFilesystem fs, KeepSet keep) {
    long bytes = 0;
    for (var path : keep.dropped().keySet()) {
      bytes += fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(e -> e.size()).orElse(0L);
    }
    return bytes;
  }
}
