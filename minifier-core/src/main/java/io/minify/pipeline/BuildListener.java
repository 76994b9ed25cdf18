package io.minify.pipeline;

import java.time.Duration;

/** Hears the pipeline's progress, one call per finished stage; the CLI prints it. */
@FunctionalInterface
public interface BuildListener {

  /** A stage finished; {@code summary} is one short line of what it found. */
  void stageFinished(Stage stage, Duration elapsed, String summary);

  /** A listener that prints nothing. */
  static BuildListener silent() {
    return (stage, elapsed, summary) -> {};
  }
}
