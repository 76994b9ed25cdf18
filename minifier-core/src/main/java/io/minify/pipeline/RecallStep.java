package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.image.ImageConfig;
import io.minify.path.UnixPath;
import io.minify.run.ProbeRecording;
import io.minify.select.KeptBecause;
import java.util.List;
import java.util.SortedMap;

/**
 * {@code minify merge}, once per run of the earlier reports, in place of start, probe and stop:
 * hands over what the run recorded as that watched run would have (the original's answers, what
 * it opened), so selection and verification are the build's own steps, unchanged. A run that
 * published other ports ({@code --expose}) gets its own config and ports, as its build had.
 */
final class RecallStep implements BuildStep {
  /** The run as its report recorded it; put by the merge's {@link BuildContext} into each run's context. */
  static final Handoff<RecordedRuns.Recalled> RECALLED = Handoff.named("the run an earlier report recorded");
  /** What the earlier build of this run kept, with its reasons: the merge keeps all of it. */
  static final Handoff<SortedMap<UnixPath, KeptBecause>> KEPT_BEFORE = Handoff.named("what the earlier build kept");

  /** The names of the reports a merge read, in the order given; produced only for a merge. */
  static final Handoff<List<String>> MERGED_FROM = Handoff.named("the reports merged");

  @Override
  public Stage stage() {
    return Stage.RECALL;
  }

  @Override
  public String run(BuildContext run) throws BuildException {
    RecordedRuns.Recalled recalled = run.get(RECALLED);
    ProbeRecording recording = recalled.recording();
    run.put(ProbeStep.RECORDING, recording);
    run.put(StopStep.CHANGES, RunChanges.of(recalled.access()));
    run.put(StartStep.PUBLISH_ADDRESS, run.services().engine().containers().address().publishAddress());
    run.put(KEPT_BEFORE, recalled.kept());
    BuildOptions build = run.build().options();
    if (!run.options().run().exposedPorts().equals(build.run().exposedPorts())) {
      ImageConfig config = run.options().run().exposing(run.get(InspectStep.IMAGE).config());
      run.put(InspectStep.CONFIG, config);
      run.put(InspectStep.PORTS, config.exposedTcpPorts());
    }
    return recording.size() + " probe(s) recorded, " + recalled.access().files().size() + " files and "
        + recalled.access().directories().size() + " dirs opened, " + recalled.kept().size() + " paths kept";
  }
}
