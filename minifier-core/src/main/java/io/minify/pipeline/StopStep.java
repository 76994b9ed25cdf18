package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.image.ImageConfig;
import io.minify.run.MonitoredRun;
import io.minify.sensor.AccessLog;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Stage 5: the app is stopped (what it opens while shutting down counts too), the monitor
 * drained, the container removed.
 */
final class StopStep implements BuildStep {
  static final Handoff<AccessLog> ACCESS = Handoff.named("what the original opened");

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
    build.get(StartStep.RUN_CLEANUP).runNow();
    build.put(ACCESS, access);
    return access.files().size() + " files, " + access.directories().size() + " dirs opened"
        + run.warnings().stream().map(w -> "; warning: " + w).collect(Collectors.joining());
  }
}
