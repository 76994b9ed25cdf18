package io.minify.failure;

/**
 * Why a run failed; each kind has its own process exit code so CI can tell them apart. These
 * are all the codes minify returns besides 0: the help footer and the README's table are made
 * from this list ({@link #describe()}), and {@link Failures#kindOf} is the one place that
 * decides which kind a fault is.
 */
public enum FailureKind {
  /** The app did not run or answer, or the slim image did not behave like the original. */
  BUILD_FAILED(1, "build failed: the app did not answer, or the slim image answered otherwise"),
  /** The user asked for something impossible: bad option, unknown image, bad file. */
  BAD_INPUT(2, "bad input: an option, a file, an image reference or the image itself"),
  /** The host cannot run minify: no engine, no root/CAP_SYS_ADMIN, no fanotify. */
  ENVIRONMENT(3, "environment: no engine, not root, a broken engine connection, disk full"),
  /** A CI gate the user set (a minimum ratio or efficiency, a maximum size) is not met. */
  GATE_FAILED(4, "a CI gate failed"),
  /** A fault of minify itself: a line {@code minify: internal error: ...} to report. */
  INTERNAL(70, "internal error, a bug in minify"),
  /** Ctrl-C (SIGINT). */
  INTERRUPTED(130, "interrupted by Ctrl-C (SIGINT)"),
  /** SIGTERM (a CI job cancelled, {@code docker stop} of a container running minify). */
  TERMINATED(143, "stopped by SIGTERM");

  private final int exitCode;
  private final String meaning;

  FailureKind(int exitCode, String meaning) {
    this.exitCode = exitCode;
    this.meaning = meaning;
  }

  public int exitCode() {
    return exitCode;
  }

  /** What the code means, for the help footer: "2 bad input: ...". */
  public String describe() {
    return exitCode + " " + meaning;
  }

  /** Whether a signal ended the run: then what failed after it is a consequence, not a cause. */
  public boolean bySignal() {
    return this == INTERRUPTED || this == TERMINATED;
  }
}
