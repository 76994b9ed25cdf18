package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.image.ImageConfig;
import io.minify.run.MonitoredRun;
import io.minify.run.SeccompProfile;
import io.minify.sensor.AccessLog;
import java.time.Duration;

/**
 * Stage 5: the app is stopped (what it opens while shutting down counts too) and the monitor
 * drained; what the engine says the run changed, and the container's removal, follow on a
 * thread of their own ({@link RunChanges}).
 */
final class StopStep implements BuildStep {
  static final Handoff<RunChanges> CHANGES = Handoff.named("what the original opened, with what it changed to come");
  static final Handoff<SeccompProfile> SECCOMP = Handoff.named("the seccomp profile of the watched run");

  @Override
  public Stage stage() {
    return Stage.STOP;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    MonitoredRun run = build.get(StartStep.RUN);
    ImageConfig config = build.get(InspectStep.CONFIG);
    // an app that ignores its stop signal is killed at once: waiting the grace out is time lost
    boolean graceful = run.catchesStopSignal(config.stopSignal());
    AccessLog access = run.stop(graceful ? build.options().stopGrace() : Duration.ZERO);
    // the engine's list of changes, then the container's removal, overlap the wait for the image
    build.put(CHANGES, RunChanges.start(run, access, build.get(StartStep.RUN_CLEANUP)));
    String opened = access.files().size() + " files, " + access.directories().size() + " dirs opened";
    if (!build.options().output().tracesSyscalls()) {
      return opened;
    }
    SeccompProfile profile = run.seccompProfile();
    build.put(SECCOMP, profile);
    return opened + ", " + profile.observed().size() + " syscalls made";
  }
}
