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
import java.util.Optional;

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

  void run(List<? extends StepListEntry> entries, BuildContext build) throws BuildException {
    for (StepListEntry entry : entries) {
      if (entry instanceof EachScenario each) {
        List<BuildContext> runs = build.scenarioRuns();
        for (int r = 0; r < runs.size(); r++) {
          for (int s = 0; s < each.steps().size(); s++) {
            boolean last = r == runs.size() - 1 && s == each.steps().size() - 1;
            runStep(each.steps().get(s), runs.get(r), build, last ? each.afterAll() : null);
          }
        }
      } else {
        runStep((BuildStep) entry, build, build, null);
      }
    }
  }

  /**
   * Runs {@code step} in {@code context} (the build's, or a scenario's), then {@code afterAll} in
   * the build's, as one stage: one timing, one summary, one line.
   */
  private void runStep(BuildStep step, BuildContext context, BuildContext build, EachScenario.AfterAll afterAll)
      throws BuildException {
    Stage stage = step.stage();
    entering.enter(stage);
    long started = System.nanoTime();
    // a failure names the scenario it happened in: "verify (worker): the slim image answered differently..."
    String summary = attempt(() -> step.run(context), context.label(stage), build);
    if (afterAll != null) {
      summary += attempt(() -> afterAll.run(build), build.label(stage), build);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    context.finished(new BuildReport.StageTiming(context.label(stage), elapsed.toMillis(), summary));
    Optional<String> run = context.runName();
    if (run.isPresent()) {
      listener.scenarioStageFinished(stage, run.get(), elapsed, summary);
    } else {
      listener.stageFinished(stage, elapsed, summary);
    }
  }

  /** What a step does, as it throws. */
  @FunctionalInterface
  private interface Work {
    String run() throws BuildException;
  }

  private static String attempt(Work work, String label, BuildContext build) throws BuildException {
    try {
      return work.run();
    } catch (BuildException e) {
      throw e.inStage(label);
    } catch (EngineException e) {
      // the engine is named: a user with several (a CI runner's, a local one) must know which failed.
      // A broken pipe or a refused connection says little; an engine that no longer answers says why.
      // An engine that answered with a refusal (of the image's content, of what minify wrote) is up.
      ContainerEngine engine = build.services().engine();
      boolean gone = Failures.kindOf(e) == FailureKind.ENVIRONMENT && !engine.containers().answers(SILENCE);
      String why = (gone ? "the Docker engine stopped answering (stopped or restarting?): " : "") + e.getMessage()
          + " [engine: " + engine.version() + "]";
      throw Failures.asBuildFailure(e, why).inStage(label);
    } catch (OutOfMemoryError e) {
      throw Failures.asBuildFailure(e, "").inStage(label);
    } catch (UncheckedIOException e) {
      throw Failures.asBuildFailure(e, "I/O failed: " + e.getCause().getMessage()).inStage(label);
    }
  }
}
