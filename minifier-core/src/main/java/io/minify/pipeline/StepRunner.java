package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.report.BuildReport;
import java.time.Duration;
import java.util.List;

/**
 * Runs the steps of a build in order: times each, records its summary, tells the listener.
 * The first failure ends the run; undoing what the steps made is the caller's cleanup stack.
 */
final class StepRunner {
  private final BuildListener listener;

  StepRunner(BuildListener listener) {
    this.listener = listener;
  }

  void run(List<BuildStep> steps, BuildContext build) throws BuildException {
    for (BuildStep step : steps) {
      long started = System.nanoTime();
      String summary = step.run(build);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      build.finished(new BuildReport.StageTiming(step.stage().label(), elapsed.toMillis(), summary));
      listener.stageFinished(step.stage(), elapsed, summary);
    }
  }
}
