package io.minify.build;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Undo actions for one build, run last-in first-out exactly once, whether the build ends
 * normally, fails, or is interrupted (a shutdown hook calls {@link #close()} too). Every
 * action runs even when an earlier one fails; failures are returned for the user to see.
 */
public final class CleanupStack implements AutoCloseable {

  /** An undo step that may fail. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private record Named(String name, Action action) {}

  private final Deque<Named> actions = new ArrayDeque<>();
  private final List<String> failures = new ArrayList<>();
  private boolean closed;

  /**
   * Registers an undo step. On a stack that is already closed (the build was interrupted
   * while this resource was being made) the step runs at once, so nothing outlives it.
   */
  public synchronized void push(String name, Action action) {
    if (closed) {
      runOne(new Named(name, action));
      return;
    }
    actions.push(new Named(name, action));
  }

  /** Runs and forgets the most recent action with this name, if any is still pending. */
  public synchronized void runNow(String name) {
    for (Named n : actions) {
      if (n.name().equals(name)) {
        actions.remove(n);
        runOne(n);
        return;
      }
    }
  }

  /** Forgets a pending action without running it (the resource was handed over). */
  public synchronized void discard(String name) {
    actions.removeIf(n -> n.name().equals(name));
  }

  @Override
  public synchronized void close() {
    closed = true;
    while (!actions.isEmpty()) {
      runOne(actions.pop());
    }
  }

  /** What failed to clean up, as "name: message" lines. */
  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  private void runOne(Named n) {
    try {
      n.action().run();
    } catch (Exception e) {
      failures.add(n.name() + ": " + e.getMessage());
    }
  }
}
