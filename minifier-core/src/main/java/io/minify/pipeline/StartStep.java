package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.run.MonitoredRun;

/**
 * Stages 2-3: the original image starts held by the start gate, the host-side monitor is
 * armed on its root mount, then the gate lets the app exec: nothing it opens goes unseen.
 */
final class StartStep implements BuildStep {
  static final Handoff<MonitoredRun> RUN = Handoff.named("the watched original container");
  static final Handoff<CleanupStack.Handle> RUN_CLEANUP = Handoff.named("the original container's removal");

  @Override
  public Stage stage() {
    return Stage.START;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    BuildOptions o = build.options();
    MonitoredRun run = MonitoredRun.start(build.services().engine(), build.services().sensors(),
        build.get(InspectStep.IMAGE).id(), build.get(InspectStep.CONFIG), o.run(), build.get(InspectStep.PORTS),
        build.get(InspectStep.WORK_DIR), build.get(InspectStep.LABELS));
    build.put(RUN_CLEANUP, build.cleanup().push("original container", run::close));
    build.put(RUN, run);
    return "container " + run.container().id().substring(0, 12) + ", monitor armed";
  }
}
