package io.minify.build;

import java.time.Duration;

/** Hears the pipeline's progress, one call per stage boundary; the CLI prints it. */
public interface BuildListener {

  void stageStarted(Stage stage);

  /** A stage finished; {@code summary} is one short line of what it found. */
  void stageFinished(Stage stage, Duration elapsed, String summary);

  /** A listener that prints nothing. */
  static BuildListener silent() {
    return new BuildListener() {
      @Override
      public void stageStarted(Stage stage) {}

      @Override
      public void stageFinished(Stage stage, Duration elapsed, String summary) {}
    };
  }
}
