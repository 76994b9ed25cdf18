package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The one way a stage waits for work a thread of the build began earlier ({@link ImageReader},
 * {@link RunChanges}): an interrupt or a cancelled result is the abort's, and what the work
 * threw becomes the failure it would have been had the stage done the work itself.
 */
final class BackgroundResult {

  /** Turns what the background work threw into the stage's failure (or rethrows it as it was). */
  @FunctionalInterface
  interface Failure {
    BuildException of(Throwable cause);
  }

  private BackgroundResult() {}

  /** The result; {@code doing} finishes "interrupted while ..." when an abort ends the wait. */
  static <T> T await(Future<T> result, String doing, Failure failure) throws BuildException {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while " + doing);
    } catch (CancellationException e) {
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while " + doing);
    } catch (ExecutionException e) {
      throw failure.of(e.getCause());
    }
  }

  /** For work whose failures are already the stage's own: thrown on unchanged. */
  static BuildException rethrown(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }
}
