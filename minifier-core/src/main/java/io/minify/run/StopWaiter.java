package io.minify.run;

import io.minify.engine.ContainerState;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Waits out {@link ContinueAfter} after the probes. Polls the container meanwhile: an app
 * that exits on its own with code 0 ends the wait (there is nothing more to watch); one that
 * exits with another code (killed, crashed) fails the build, since its file list stops where
 * it died.
 */
public final class StopWaiter {

  private static final Duration POLL = Duration.ofMillis(250);
  /** How long after a container ended the engine is asked whether it is going away. */
  private static final Duration ENGINE_SHUTDOWN_WINDOW = Duration.ofSeconds(3);

  private final PrintWriter prompt;
  private final Sleeper sleeper;

  /**
   * @param prompt  where "waiting for ..." lines go (the progress stream)
   * @param sleeper the clock of the wait and of its polls
   */
  public StopWaiter(PrintWriter prompt, Sleeper sleeper) {
    this.prompt = prompt;
    this.sleeper = sleeper;
  }

  /** @return what ended the wait */
  public ProbeEnd await(ContinueAfter after, RunningContainer container) throws BuildException {
    CountDownLatch done = new CountDownLatch(1);
    long deadline = Long.MAX_VALUE;
    SignalTrap usr1 = null;
    Thread reader = null;
    switch (after.mode()) {
      case PROBE, EXEC, HOST_EXEC -> {
        return new ProbeEnd.AsPlanned(after);
      }
      case TIMEOUT -> {
        deadline = sleeper.nanoTime() + after.timeout().toNanos();
        prompt.println("[minify] watching the app for " + after.timeout().toSeconds() + "s more");
      }
      case SIGNAL -> {
        // The JVM leaves SIGUSR1 to applications; the previous handler is restored below.
        usr1 = SignalTrap.on("USR1", done::countDown);
        prompt.println("[minify] watching the app until SIGUSR1: kill -USR1 " + ProcessHandle.current().pid());
      }
      case ENTER -> {
        prompt.println("[minify] watching the app; press Enter to stop");
        reader = new Thread(() -> {
          try {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          } catch (IOException e) {
            // a closed terminal ends the wait like Enter would
          }
          done.countDown();
        }, "minify-enter");
        reader.setDaemon(true);
        reader.start();
      }
    }
    prompt.flush();
    try {
      while (true) {
        long left = deadline - sleeper.nanoTime();
        if (left <= 0) {
          return new ProbeEnd.AsPlanned(after);
        }
        if (sleeper.await(done, Duration.ofNanos(Math.min(left, POLL.toNanos())))) {
          return new ProbeEnd.AsPlanned(after);
        }
        ContainerState state = container.state(); // an engine that stopped answering: the step runner says so
        if (!state.running()) {
          refuseExit(container, state, "watched");
          return new ProbeEnd.AppExited(state); // a job that finished: nothing more to watch
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while watching the app");
    } finally {
      if (usr1 != null) {
        usr1.close();
      }
      if (reader != null) {
        reader.interrupt();
      }
    }
  }

  /**
   * Fails the build for an app that ended while it was {@code watched} ("probed", "watched"):
   * with another code than 0 (killed, crashed), what it opened so far is not what it needs. And
   * when the engine falls silent right after, the engine ended it (a restart), which is the
   * host's trouble, not the app's, whatever the code.
   */
  void refuseExit(RunningContainer container, ContainerState state, String watched) throws BuildException {
    if (container.engineGoingAway(ENGINE_SHUTDOWN_WINDOW, sleeper)) {
      throw new BuildException(FailureKind.ENVIRONMENT, "the Docker engine stopped or restarted while the app was "
          + watched + ", and ended its container (exit code " + state.exitCode() + "): build again once it is up");
    }
    if (state.exitCode() != 0) {
      throw new BuildException(FailureKind.BUILD_FAILED, appExited(state) + " while it was " + watched,
          container.logTail(ProbeDriver.LOG_LINES), null);
    }
  }

  /**
   * "the app exited with code 137 (signal 9)": the engine's 128+N exit code of a process
   * killed by signal N is named as such.
   */
  static String appExited(ContainerState state) {
    int code = state.exitCode();
    return "the app exited with code " + code + (code > 128 && code < 128 + 65 ? " (signal " + (code - 128) + ")" : "");
  }
}
