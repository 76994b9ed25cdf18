package io.minify.engine;

import io.minify.failure.FailureKind;

/**
 * The engine works, but cannot do what was asked because of what the image holds (a layer
 * entry that names a path outside the image). The user's image is at fault, not the host.
 */
public final class ImageContentRefusedException extends EngineException {
  private static final long serialVersionUID = 1L;

  public ImageContentRefusedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureKind failureKind() {
    return FailureKind.BAD_INPUT;
  }
}
