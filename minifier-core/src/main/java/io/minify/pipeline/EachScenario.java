package io.minify.pipeline;

import io.minify.failure.BuildException;
import java.util.List;

/**
 * Steps that run once for each scenario of the build, each scenario's run in its own context
 * ({@link BuildContext#scenarioRuns}): all of them for the first scenario, then all for the
 * next. The steps are the ones a plain build runs, and run as they do there: a scenario is only
 * other options, so whatever a step does with the options it does per scenario. A build without
 * scenarios runs them once, in its own context.
 *
 * <p>{@link #then} is what happens once after every scenario ran, in the build's context, within
 * the last step's stage (verification tags the slim image only when every scenario passed).
 */
final class EachScenario implements StepListEntry {

  /** The part of a stage that runs once for the whole build, after every scenario. */
  @FunctionalInterface
  interface AfterAll {
    /** @return what to add to the stage's summary ("; tagged app.slim:1") */
    String run(BuildContext build) throws BuildException;
  }

  private final List<BuildStep> steps;
  private final AfterAll afterAll;

  private EachScenario(List<BuildStep> steps, AfterAll afterAll) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("no steps to run for each scenario");
    }
    this.steps = List.copyOf(steps);
    this.afterAll = afterAll;
  }

  static EachScenario of(BuildStep... steps) {
    return new EachScenario(List.of(steps), build -> "");
  }

  /** These steps, and {@code afterAll} once after them. */
  EachScenario then(AfterAll after) {
    return new EachScenario(steps, after);
  }

  List<BuildStep> steps() {
    return steps;
  }

  AfterAll afterAll() {
    return afterAll;
  }
}
