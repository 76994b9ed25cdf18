package io.minify.run;

import io.minify.engine.ContainerState;

/**
 * What ended the probe stage: {@code --continue-after} ran its course, or the app exited on
 * its own with code 0 first (an exit with another code fails the build instead). The replay
 * of a recording that ended with the app's exit waits for the slim app to exit with 0 too.
 */
public sealed interface ProbeEnd {

  /** As the report's {@code probing.continuedAfter} and the probe stage's line say it. */
  String label();

  /** The mode of {@code --continue-after} ran its course: the probes done, the time up, the signal, Enter. */
  record AsPlanned(ContinueAfter after) implements ProbeEnd {
    @Override
    public String label() {
      return after.toString();
    }
  }

  /** The app exited on its own with code 0: a job that finished, nothing more to watch. */
  record AppExited(ContainerState state) implements ProbeEnd {
    @Override
    public String label() {
      return "app exited";
    }
  }
}
