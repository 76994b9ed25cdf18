package io.minify.engine;

import io.minify.failure.ClassifiedFault;
import io.minify.failure.FailureKind;

/** The container engine failed or could not be reached. */
public class EngineException extends RuntimeException implements ClassifiedFault {
  private static final long serialVersionUID = 1L;

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }

  /** An engine that fails or cannot be reached is the host's fault, not the image's. */
  @Override
  public FailureKind failureKind() {
    return FailureKind.ENVIRONMENT;
  }
}
