package io.minify.engine;

import io.minify.failure.FailureKind;

/**
 * The engine could not start a container's command: the image has no such program, or it is
 * not executable. The engine works; the image or the command asked for is wrong.
 */
public final class UnrunnableCommandException extends EngineException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param message what was asked and why it failed, one line
   * @param reason  the engine's own words for why ({@code exec: "sh": executable file not found in $PATH})
   */
  public UnrunnableCommandException(String message, String reason) {
    super(message);
    this.reason = reason;
  }

  @Override
  public FailureKind failureKind() {
    return FailureKind.BAD_INPUT;
  }

  /** The engine's words for why the command could not run. */
  public String reason() {
    return reason;
  }
}
