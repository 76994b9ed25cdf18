package io.minify.failure;

/** Why a build failed; each kind has its own process exit code so CI can tell them apart. */
public enum FailureKind {
  /** The app did not run or answer, or the slim image did not behave like the original. */
  BUILD_FAILED(1),
  /** The user asked for something impossible: bad option, unknown image, bad file. */
  BAD_INPUT(2),
  /** The host cannot run minify: no engine, no root/CAP_SYS_ADMIN, no fanotify. */
  ENVIRONMENT(3),
  /** A CI gate the user set (a minimum ratio or efficiency, a maximum size) is not met. */
  GATE_FAILED(4),
  /** Ctrl-C or SIGTERM. */
  INTERRUPTED(130);

  private final int exitCode;

  FailureKind(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
