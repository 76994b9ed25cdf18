package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.engine.EngineException;
import io.minify.failure.FailureKind;
import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import io.minify.run.MonitoredRun;
import io.minify.sensor.gate.StartGate;
import java.util.Optional;

/**
 * Stages 2-3: the original image starts held by the start gate, the host-side monitor is
 * armed on its root mount, then the gate lets the app exec: nothing it opens goes unseen.
 */
final class StartStep implements BuildStep {
  static final Handoff<MonitoredRun> RUN = Handoff.named("the watched original container");
  static final Handoff<CleanupStack.Handle> RUN_CLEANUP = Handoff.named("the original container's removal");
  /** The engine host's address the run's ports were published on: the slim runs publish there too. */
  static final Handoff<String> PUBLISH_ADDRESS = Handoff.named("the address ports are published on");

  @Override
  public Stage stage() {
    return Stage.START;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    BuildOptions o = build.options();
    MonitoredRun run;
    try {
      run = MonitoredRun.start(build.services().engine(), build.services().sensors(),
          build.get(InspectStep.IMAGE).id().toString(), build.get(InspectStep.CONFIG), o.run(),
          build.get(InspectStep.PORTS), build.get(InspectStep.WORK_DIR), build.get(InspectStep.LABELS),
          o.output().tracesSyscalls());
    } catch (EngineException e) {
      throw gateMountPointTaken(build).orElseThrow(() -> e);
    }
    build.put(RUN_CLEANUP, build.cleanup().push("original container", run::close));
    build.put(RUN, run);
    build.put(PUBLISH_ADDRESS, run.publishAddress());
    return "container " + run.container().id().substring(0, 12) + ", monitor " + (o.output().tracesSyscalls()
        ? "and syscall tracer " : "") + "armed " + run.placement().label();
  }

  /**
   * When the container cannot start, whether the image itself is why: a file or a link where
   * the gate is mounted makes the runtime fail with a message it cuts off ("error mounting \").
   */
  private static Optional<BuildException> gateMountPointTaken(BuildContext build) throws BuildException {
    try {
      refuseTakenGateMountPoint(build.get(InspectStep.READER).await());
      return Optional.empty();
    } catch (BuildException e) {
      if (e.kind() == FailureKind.BAD_INPUT) {
        return Optional.of(e);
      }
      throw e;
    }
  }

  /**
   * Refuses an image with a file or a link at the gate's mount point. A file makes the start
   * fail; a link does not, which is worse: the engine follows it and mounts the gate where it
   * points (over the app's /tmp, say), so the app was watched in a filesystem that is not its
   * own. Checked as soon as the image has been read.
   */
  static void refuseTakenGateMountPoint(ImageContent content) throws BuildException {
    Optional<FileEntry> entry = content.filesystem().entry(UnixPath.of(StartGate.CONTAINER_DIR));
    if (entry.isPresent() && !entry.get().isDirectory()) {
      throw new BuildException(FailureKind.BAD_INPUT, "the image has " + StartGate.CONTAINER_DIR
          + " as a file or a link, where minify mounts its start gate: remove it from the image");
    }
  }
}
