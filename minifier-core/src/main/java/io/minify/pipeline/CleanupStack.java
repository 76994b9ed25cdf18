package io.minify.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Undo actions for one build, run last-in first-out exactly once, whether the build ends
 * normally, fails, or is interrupted (a shutdown hook calls {@link #close()} too). Every
 * action runs even when an earlier one fails; failures are returned for the user to see.
 *
 * <p>{@link #push} returns the action's {@link Handle}: a stage that is done with a resource
 * runs its undo at once ({@link Handle#runNow()}), or hands the resource over to the user
 * ({@link Handle#keep()}). The handle is the only way to reach a pending action, so there is
 * no name to misspell.
 */
public final class CleanupStack implements AutoCloseable {

  /** An undo step that may fail. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** One pending undo step; closing it is {@link #runNow()}, so it fits try-with-resources. */
  public interface Handle extends AutoCloseable {

    /** Runs the undo now, if it has not run yet, and forgets it. */
    void runNow();

    /** Forgets the undo without running it: the resource outlives the build. */
    void keep();

    @Override
    default void close() {
      runNow();
    }
  }

  private final Deque<Pending> actions = new ArrayDeque<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> cleaned = new ArrayList<>();
  private boolean closed;
  /** Actions taken off the stack (by a {@link #close()} or a {@link Handle#runNow()}) and still running. */
  private int running;

  /**
   * Registers an undo step. On a stack that is already closed (the build was interrupted
   * while this resource was being made) the step runs at once, so nothing outlives it.
   *
   * @param name what the step undoes, for the failure list ("original container")
   */
  public Handle push(String name, Action action) {
    Pending pending = new Pending(name, action);
    synchronized (this) {
      if (!closed) {
        actions.push(pending);
        return pending;
      }
    }
    runOne(pending);
    return pending;
  }

  /**
   * Runs every pending action, newest first, and returns once none is running, whichever
   * thread took it: a build that fails because an abort (on the signal's thread) removed its
   * container must not write its report, or close the engine client, while that abort is
   * still cleaning up. The lock is not held while an action runs: an action may wait for a
   * thread (the image reader) that is itself registering an action, which then runs at once.
   */
  @Override
  public void close() {
    while (true) {
      Pending next;
      synchronized (this) {
        closed = true;
        next = actions.poll();
        if (next == null) {
          awaitRunning();
          return;
        }
        running++;
      }
      try {
        runOne(next);
      } finally {
        synchronized (this) {
          running--;
          notifyAll();
        }
      }
    }
  }

  /** Waits, holding the lock, until the actions other threads took have run. */
  private void awaitRunning() {
    boolean interrupted = false;
    while (running > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // the cleanup must finish all the same; the interrupt is kept for the caller
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** What failed to clean up, as "name: message" lines. */
  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /** The names of the undo steps that ran and succeeded, in the order they ran. */
  public synchronized List<String> cleaned() {
    return List.copyOf(cleaned);
  }

  private void runOne(Pending p) {
    try {
      p.action.run();
      synchronized (this) {
        cleaned.add(p.name);
      }
    } catch (Exception e) {
      synchronized (this) {
        failures.add(p.name + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
  }

  /** Identity matters: two steps with the same name are two steps. */
  private final class Pending implements Handle {
    private final String name;
    private final Action action;

    Pending(String name, Action action) {
      this.name = name;
      this.action = action;
    }

    @Override
    public void runNow() {
      synchronized (CleanupStack.this) {
        if (!actions.remove(this)) {
          return;
        }
        running++; // a close() meanwhile waits for it: the container a background thread removes is gone when the build ends
      }
      try {
        runOne(this);
      } finally {
        synchronized (CleanupStack.this) {
          running--;
          CleanupStack.this.notifyAll();
        }
      }
    }

    @Override
    public void keep() {
      synchronized (CleanupStack.this) {
        actions.remove(this);
      }
    }
  }
}
