package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.report.BuildReport;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code minify build}: the stages of DESIGN.md, in the order of {@link #STEPS}. One instance
 * runs one build; everything a stage creates (containers, the work directory, a not yet
 * verified image) is registered in a {@link CleanupStack} and undone on every exit path,
 * {@link #abort()} (Ctrl-C) included.
 *
 * <p>The image's filesystem is read ({@code docker save}, then indexed) on a background
 * thread from inspection on, while the original container runs and is probed, so the slow
 * part of a build overlaps the app's own start-up time.
 */
public final class BuildPipeline {

  /** The stages, in order: adding a stage is a class and a line here. */
  static final List<BuildStep> STEPS = List.of(
      new InspectStep(),
      new StartStep(),
      new ProbeStep(),
      new StopStep(),
      new SelectStep(),
      new PackageStep(),
      new VerifyStep(),
      new ReportStep());

  private final BuildServices services;
  private final BuildListener listener;
  private final CleanupStack cleanup = new CleanupStack();

  public BuildPipeline(BuildServices services, BuildListener listener) {
    this.services = services;
    this.listener = listener;
  }

  /** Undoes whatever the running build has created; safe from another thread. */
  public void abort() {
    cleanup.close();
  }

  /** What could not be cleaned up (normally empty). */
  public List<String> cleanupFailures() {
    return cleanup.failures();
  }

  public BuildReport run(BuildOptions options) throws BuildException {
    BuildContext build = new BuildContext(options, services, cleanup, System.nanoTime());
    try {
      new StepRunner(listener).run(STEPS, build);
      return build.get(ReportStep.REPORT).withTimings(
          Duration.ofNanos(System.nanoTime() - build.startedNanos()).toMillis(), build.timings());
    } catch (UncheckedIOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "I/O failed: " + e.getCause().getMessage(), List.of(), e);
    } finally {
      cleanup.close();
    }
  }
}
