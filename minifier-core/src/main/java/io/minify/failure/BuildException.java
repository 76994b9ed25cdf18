package io.minify.failure;

import java.util.List;

/**
 * A build that cannot go on. The message is one line a user can act on; when a container
 * was involved, its last log lines come along because they usually say why.
 */
public final class BuildException extends Exception {
  private static final long serialVersionUID = 1L;


  private final FailureKind kind;
  private final List<String> containerLog;

  public BuildException(FailureKind kind, String message) {
    this(kind, message, List.of(), null);
  }

  public BuildException(FailureKind kind, String message, List<String> containerLog, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.containerLog = List.copyOf(containerLog);
  }

  public FailureKind kind() {
    return kind;
  }

  public List<String> containerLog() {
    return containerLog;
  }

  /**
   * The same failure, its message led by the stage it happened in ("verify: the slim image
   * answered differently: ..."), so every failure names where the build stopped.
   */
  public BuildException inStage(String stage) {
    BuildException named = new BuildException(kind, stage + ": " + getMessage(), containerLog, getCause());
    named.setStackTrace(getStackTrace());
    return named;
  }
}
