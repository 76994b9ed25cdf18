package io.minify.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one mapping from what went wrong to the kind of failure, hence the exit code. A step,
 * the image reader and the commands used to decide it each their own way, so the same
 * refusal of the engine was exit 1, 2 or 3 depending on where it surfaced.
 */
public final class Failures {

  private Failures() {}

  /**
   * A build failure's own kind; a {@link ClassifiedFault}'s (engine down: environment; the
   * engine refuses what minify wrote: build failed; the image's content or format: bad
   * input); an I/O fault or a heap too small: environment; a thread interrupted: the run was
   * interrupted; anything else is a bug of minify's.
   */
  public static FailureKind kindOf(Throwable fault) {
    if (fault instanceof BuildException b) {
      return b.kind();
    }
    if (fault instanceof ClassifiedFault c) {
      return c.failureKind();
    }
    if (fault instanceof IOException || fault instanceof UncheckedIOException || fault instanceof OutOfMemoryError) {
      return FailureKind.ENVIRONMENT;
    }
    if (fault instanceof InterruptedException) {
      return FailureKind.INTERRUPTED;
    }
    return FailureKind.INTERNAL;
  }

  /** {@code fault} as the build failure it makes, said in {@code message}. */
  public static BuildException asBuildFailure(Throwable fault, String message) {
    if (fault instanceof OutOfMemoryError oom) {
      return HeapExhausted.failure(oom);
    }
    return new BuildException(kindOf(fault), message, List.of(), fault);
  }
}
