package io.minify.engine;

import io.minify.failure.FailureKind;

/**
 * The engine was reached and answered, but refused the request in its own words (for
 * example {@code docker load}'s {@code Error processing tar file: invalid argument}). Unlike
 * its parent, this says nothing about the host: the engine works, the request did not.
 */
public final class EngineRefusedException extends EngineException {
  private static final long serialVersionUID = 1L;


  private final String engineMessage;

  /**
   * @param message       what was asked and why it failed, one line
   * @param engineMessage the engine's own message, as it sent it (on one line)
   */
  public EngineRefusedException(String message, String engineMessage) {
    super(message);
    this.engineMessage = engineMessage;
  }

  /**
   * The engine answered, so the host works: what it refuses is what this build asked of it
   * (an archive minify wrote), which fails the build.
   */
  @Override
  public FailureKind failureKind() {
    return FailureKind.BUILD_FAILED;
  }

  /** The engine's own words, for the user: they usually name what is wrong. */
  public String engineMessage() {
    return engineMessage;
  }
}
