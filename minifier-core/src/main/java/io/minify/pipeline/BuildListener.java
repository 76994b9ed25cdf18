package io.minify.pipeline;

import java.time.Duration;

/** Hears the pipeline's progress, one call per finished stage; the CLI prints it. */
@FunctionalInterface
public interface BuildListener {

  /** A stage finished; {@code summary} is one short line of what it found. */
  void stageFinished(Stage stage, Duration elapsed, String summary);

  /**
   * A stage of one scenario's run finished ({@code --scenarios}): {@code scenario} is its name.
   * Told as a stage of the build unless the listener tells them apart.
   */
  default void scenarioStageFinished(Stage stage, String scenario, Duration elapsed, String summary) {
    stageFinished(stage, elapsed, summary);
  }

  /** A listener that prints nothing. */
  static BuildListener silent() {
    return (stage, elapsed, summary) -> {};
  }
}
