package io.minify.cli;

import io.minify.failure.FailureKind;
import io.minify.pipeline.BuildPipeline;
import io.minify.run.SignalTrap;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a build's pipeline runs. The signal's thread aborts the
 * pipeline (which undoes what the build made) and the build's own thread, whose calls then
 * fail, writes the failure report with the signal's kind and exit code (130 or 143) and
 * prints the one line; the process ends when that thread returns. A shutdown hook could not
 * tell the two signals apart, and the JVM would halt while the build's thread was still
 * writing its report.
 *
 * <p>A build's thread stuck in a call that never notices gets {@link #GRACE_SECONDS}, then the
 * process ends from the signal's thread. A second signal ends it at once, before the cleanup
 * is done; the next build removes what is left.
 */
final class SignalAbort implements AutoCloseable {
  private static final long GRACE_SECONDS = 30;

  private final BuildPipeline pipeline;
  private final PrintWriter err;
  private final AtomicReference<FailureKind> first = new AtomicReference<>();
  private final CountDownLatch buildReturned = new CountDownLatch(1);
  private final List<SignalTrap> traps = new ArrayList<>();
  private Thread fallbackHook;

  private SignalAbort(BuildPipeline pipeline, PrintWriter err) {
    this.pipeline = pipeline;
    this.err = err;
  }

  /** Handles SIGINT and SIGTERM for {@code pipeline} until closed. */
  static SignalAbort install(BuildPipeline pipeline, PrintWriter err) {
    SignalAbort abort = new SignalAbort(pipeline, err);
    try {
      abort.traps.add(SignalTrap.on("INT", () -> abort.signalled(FailureKind.INTERRUPTED)));
      abort.traps.add(SignalTrap.on("TERM", () -> abort.signalled(FailureKind.TERMINATED)));
    } catch (IllegalStateException noSignals) {
      // a JVM that cannot trap signals (-Xrs, no jdk.unsupported) still exits on them: undo on the way out
      abort.traps.forEach(SignalTrap::close);
      abort.traps.clear();
      abort.fallbackHook = new Thread(() -> pipeline.abort(FailureKind.INTERRUPTED), "minify-abort");
      Runtime.getRuntime().addShutdownHook(abort.fallbackHook);
    }
    return abort;
  }

  private void signalled(FailureKind signal) {
    if (!first.compareAndSet(null, signal)) {
      err.println("minify: " + name(signal) + " again: exiting before the cleanup is done; the next build removes"
          + " what is left");
      err.flush();
      Runtime.getRuntime().halt(signal.exitCode());
    }
    pipeline.abort(signal);
    try {
      if (buildReturned.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.println("minify: interrupted during " + pipeline.currentStage().map(s -> s.label()).orElse("start-up")
        + " by " + name(signal) + "; the build did not stop within " + GRACE_SECONDS + " s");
    err.flush();
    System.exit(signal.exitCode());
  }

  /** "SIGTERM" or "Ctrl-C (SIGINT)", for the line that says what ended the build. */
  static String name(FailureKind signal) {
    return signal == FailureKind.TERMINATED ? "SIGTERM" : "Ctrl-C (SIGINT)";
  }

  /** The build's thread has returned from the pipeline: signals are the JVM's again. */
  @Override
  public void close() {
    buildReturned.countDown();
    traps.forEach(SignalTrap::close);
    if (fallbackHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(fallbackHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting on a signal: the hook is undoing the build, which is the point
      }
    }
  }
}
