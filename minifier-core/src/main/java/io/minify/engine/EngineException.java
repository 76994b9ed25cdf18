package io.minify.engine;

/** The container engine failed or could not be reached. */
public class EngineException extends RuntimeException {
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
