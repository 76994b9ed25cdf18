package io.minify.pipeline;

import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.report.BuildReport;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs the steps of a build in order: times each, records its summary, tells the listener.
 * The first failure ends the run, named by the stage it happened in; an engine or I/O fault
 * inside a step becomes an environment failure of that stage. Undoing what the steps made is
 * the caller's cleanup stack.
 */
final class StepRunner {
  /** How long an engine that failed a call is given to answer a ping before it counts as gone. */
  private static final Duration SILENCE = Duration.ofSeconds(2);

  private final BuildListener listener;
  private final Entry entering;

  /** Told of each stage before it runs; may refuse to start it (the build was aborted). */
  @FunctionalInterface
  interface Entry {
    void enter(Stage stage) throws BuildException;
  }

  StepRunner(BuildListener listener, Entry entering) {
    this.listener = listener;
    this.entering = entering;
  }

  void run(List<BuildStep> steps, BuildContext build) throws BuildException {
    for (BuildStep step : steps) {
      Stage stage = step.stage();
      entering.enter(stage);
      long started = System.nanoTime();
      String summary;
      try {
        summary = step.run(build);
      } catch (BuildException e) {
        throw e.inStage(stage.label());
      } catch (EngineException e) {
        // the engine is named: a user with several (a CI runner's, a local one) must know which failed.
        // A broken pipe or a refused connection says little; an engine that no longer answers says why.
        // An engine that answered with a refusal (of the image's content, of what minify wrote) is up.
        ContainerEngine engine = build.services().engine();
        boolean gone = Failures.kindOf(e) == FailureKind.ENVIRONMENT && !engine.containers().answers(SILENCE);
        String why = (gone ? "the Docker engine stopped answering (stopped or restarting?): " : "") + e.getMessage()
            + " [engine: " + engine.version() + "]";
        throw Failures.asBuildFailure(e, why).inStage(stage.label());
      } catch (OutOfMemoryError e) {
        throw Failures.asBuildFailure(e, "").inStage(stage.label());
      } catch (UncheckedIOException e) {
        throw Failures.asBuildFailure(e, "I/O failed: " + e.getCause().getMessage()).inStage(stage.label());
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      build.finished(new BuildReport.StageTiming(stage.label(), elapsed.toMillis(), summary));
      listener.stageFinished(stage, elapsed, summary);
    }
  }
}
