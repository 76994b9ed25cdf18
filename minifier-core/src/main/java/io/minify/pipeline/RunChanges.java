package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.run.MonitoredRun;
import io.minify.sensor.AccessLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the original run opened and wrote, complete once the engine has said what the run
 * changed ({@link MonitoredRun#withChanges}). The engine's answer is asked for on a thread of
 * its own as soon as the app has stopped, and the original container removed right after, so
 * that both overlap the build's wait for the image reader instead of adding to the stop stage.
 */
final class RunChanges {

  private final CompletableFuture<AccessLog> access;
  private final Supplier<List<String>> warnings;

  private RunChanges(CompletableFuture<AccessLog> access, Supplier<List<String>> warnings) {
    this.access = access;
    this.warnings = warnings;
  }

  /**
   * Starts asking. {@code removal} (the container's cleanup handle) runs when the answer is
   * in, or failed: the engine lists a container's changes only while it exists. An abort
   * meanwhile removes the container through the same handle, and the answer is then moot.
   */
  static RunChanges start(MonitoredRun run, AccessLog seen, CleanupStack.Handle removal) {
    CompletableFuture<AccessLog> access = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      AccessLog complete;
      try {
        complete = run.withChanges(seen);
      } catch (Throwable t) {
        removal.runNow();
        access.completeExceptionally(t);
        return;
      }
      removal.runNow(); // before the answer is handed over: past select, the original is gone
      access.complete(complete);
    }, "minify-run-changes");
    thread.setDaemon(true);
    thread.start();
    return new RunChanges(access, run::warnings);
  }

  /** A log that needs no engine's answer: a run recorded in an earlier report, or a test's. */
  static RunChanges of(AccessLog access) {
    return new RunChanges(CompletableFuture.completedFuture(access), List::of);
  }

  /** What the run could not do fully and went on without; complete once {@link #await} returned. */
  List<String> warnings() {
    return warnings.get();
  }

  /** Waits for the engine's answer; its failure is the one it would have been in the stop stage. */
  AccessLog await() throws BuildException {
    return BackgroundResult.await(access, "asking what the run changed", BackgroundResult::rethrown);
  }
}
