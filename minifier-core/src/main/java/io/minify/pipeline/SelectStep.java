package io.minify.pipeline;

import io.minify.analysis.ByteSize;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.EntryType;
import io.minify.image.ImageFilesystem;
import io.minify.select.KeepRuleException;
import io.minify.select.KeepSet;
import io.minify.select.KeepSetSelector;
import java.util.stream.Collectors;

/**
 * Stage 6: waits for the image reader, then turns what the app opened into the keep set
 * (libraries, keep units, the user's rules).
 */
final class SelectStep implements BuildStep {
  static final Handoff<ImageContent> CONTENT = Handoff.named("the original's files");
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
    ImageFilesystem fs = content.filesystem();
    KeepSet keep;
    try {
      keep = new KeepSetSelector(fs, build.get(InspectStep.CONFIG), build.options().selectionRules())
          .select(build.get(StopStep.ACCESS));
    } catch (KeepRuleException e) {
      throw new BuildException(FailureKind.BAD_INPUT, e.getMessage());
    }
    build.put(KEEP, keep);
    return keep.size() + " of " + fs.entries().size() + " entries kept"
        + (keep.excluded().isEmpty() ? "" : ", " + keep.excluded().size() + " excluded by pattern")
        + (keep.dropped().isEmpty() ? "" : ", " + keep.dropped().size() + " that no loader reads dropped ("
            + ByteSize.megabytes(droppedBytes(fs, keep)) + ")")
        + keep.warnings().stream().map(w -> "; warning: " + w).collect(Collectors.joining());
  }

  private static long droppedBytes(ImageFilesystem fs, KeepSet keep) {
    long bytes = 0;
    for (var path : keep.dropped().keySet()) {
      bytes += fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(e -> e.size()).orElse(0L);
    }
    return bytes;
  }
}
