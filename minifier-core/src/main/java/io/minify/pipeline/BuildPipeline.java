package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.report.BuildReport;
import io.minify.report.EarlierReport;
import io.minify.report.RecordedRun;
import io.minify.run.ProbeSettings;
import io.minify.report.FailureReport;
import io.minify.report.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code minify build}: the stages of docs/design.md, in the order of {@link #STEPS}. One instance
 * runs one build; everything a stage creates (containers, the work directory, a not yet
 * verified image) is registered in a {@link CleanupStack} and undone on every exit path,
 * {@link #abort()} (Ctrl-C) included. A build that fails still writes {@code --report}: a
 * {@link FailureReport} with the stage, the cause and what was cleaned up.
 *
 * <p>The image's filesystem is read ({@code docker save}, then indexed) on a background
 * thread from inspection on, while the original container runs and is probed, so the slow
 * part of a build overlaps the app's own start-up time.
 */
public final class BuildPipeline {

  /**
   * The stages, in order: adding a stage is a class and a line here. The watched run and the
   * verification run once per scenario ({@code --scenarios}; once for a plain build); selection
   * merges what every scenario's run used, and one slim image is packaged for all of them.
   */
  static final List<StepListEntry> STEPS = List.of(
      new InspectStep(),
      EachScenario.of(new StartStep(), new ProbeStep(), new StopStep()),
      new SelectStep(),
      new PackageStep(),
      EachScenario.of(new VerifyStep()).then(VerifyStep::release),
      new ReportStep());

  /**
   * {@code minify merge}: the build's steps, with each earlier report's run recalled where a
   * build starts, probes and stops its watched run. Selection, packaging, verification (once per
   * run, against what that run recorded) and the report are the build's own.
   */
  static final List<StepListEntry> MERGE_STEPS = List.of(
      new InspectStep(),
      EachScenario.of(new RecallStep()),
      new SelectStep(),
      new PackageStep(),
      EachScenario.of(new VerifyStep()).then(VerifyStep::release),
      new ReportStep());

  /** The steps of {@link #STEPS} in the order a plain build runs them. */
  static List<BuildStep> steps() {
    return STEPS.stream().flatMap(e -> e instanceof EachScenario each ? each.steps().stream()
        : java.util.stream.Stream.of((BuildStep) e)).toList();
  }

  private final BuildServices services;
  private final BuildListener listener;
  private final CleanupStack cleanup = new CleanupStack();
  private volatile Stage current;
  private volatile Stage interrupted;
  private volatile FailureKind abortedBy;

  public BuildPipeline(BuildServices services, BuildListener listener) {
    this.services = services;
    this.listener = listener;
  }

  /** {@link #abort(FailureKind)} for Ctrl-C. */
  public void abort() {
    abort(FailureKind.INTERRUPTED);
  }

  /**
   * Undoes whatever the running build has created; safe from another thread, and returns
   * once every undo step ran, whichever thread ran it. The build then fails as {@code signal}
   * ({@link FailureKind#INTERRUPTED} or {@link FailureKind#TERMINATED}): its report and exit
   * code say which signal ended it.
   */
  public void abort(FailureKind signal) {
    if (!signal.bySignal()) {
      throw new IllegalArgumentException("a build is aborted by a signal, not by " + signal);
    }
    synchronized (this) {
      if (abortedBy == null) {
        interrupted = current;
        abortedBy = signal; // before the cleanup: whatever fails in the build from now on fails because of this
      }
    }
    cleanup.close();
  }

  /** Whether {@link #abort} was called: then the build's own failure is a consequence, not a cause. */
  public boolean aborted() {
    return abortedBy != null;
  }

  /** The stage running now, or the one that failed, or the one an abort interrupted; empty before the first. */
  public Optional<Stage> currentStage() {
    return Optional.ofNullable(aborted() ? interrupted : current);
  }

  /** What could not be cleaned up (normally empty). */
  public List<String> cleanupFailures() {
    return cleanup.failures();
  }

  public BuildReport run(BuildOptions options) throws BuildException {
    return execute(STEPS, new BuildContext(options, services, cleanup, System.nanoTime()));
  }

  /**
   * One slim image from the runs of earlier reports of one image ({@code minify merge}): it keeps
   * what their runs opened, selected again as one, and what each of their builds kept; it is
   * verified against every run's recorded answers and tagged only when all of them pass.
   *
   * @param options the merge's: {@code image} the reports' image id; what to keep, the new config
   *                and the outputs as a build's; the run and probe options are each run's own
   * @throws BuildException bad input (exit 2) naming the report when the reports are of several
   *                        images, one is given twice, or one holds a run this version cannot read
   */
  public BuildReport merge(BuildOptions options, List<EarlierReport> reports) throws BuildException {
    if (options.output().tracesSyscalls()) {
      throw new BuildException(FailureKind.BAD_INPUT, "a merge watches no run, so it has no syscalls to write a"
          + " seccomp profile of");
    }
    try {
      EarlierReport.checkOneImage(reports);
    } catch (IllegalArgumentException e) {
      throw new BuildException(FailureKind.BAD_INPUT, e.getMessage());
    }
    Map<String, RecordedRuns.Recalled> runs = new LinkedHashMap<>();
    for (EarlierReport report : reports) {
      for (RecordedRun run : report.runs()) {
        // a plain build's run is named by its report; a scenario's by both ("r1.json:worker")
        String name = run.name().isEmpty() ? report.name() : report.name() + ":" + run.name();
        try {
          runs.put(name, RecordedRuns.recall(run, report.name(), report.kept(), options));
        } catch (IllegalArgumentException e) {
          throw new BuildException(FailureKind.BAD_INPUT, report.name() + ": " + e.getMessage());
        }
      }
    }
    // the merge itself probes nothing: each run replays what it recorded
    ProbeSettings none = options.probing();
    BuildOptions merged = options.toBuilder().probing(new ProbeSettings(false, List.of(), List.of(),
        none.startTimeout(), none.startWait(), none.retries(), none.retryWait(), none.requestTimeout(), null, null,
        List.of(), List.of(), List.of(), none.continueAfter())).scenarios(List.of()).build();
    BuildContext build = new BuildContext(merged, runs, services, cleanup, System.nanoTime());
    build.put(RecallStep.MERGED_FROM, reports.stream().map(EarlierReport::name).toList());
    return execute(MERGE_STEPS, build);
  }

  private BuildReport execute(List<StepListEntry> steps, BuildContext build) throws BuildException {
    try {
      new StepRunner(listener, this::enter).run(steps, build);
      return build.get(ReportStep.REPORT).withTimings(millisSince(build), build.timings());
    } catch (BuildException e) {
      // before the failure report, which lists what was undone; waits for an abort's cleanup
      // running on the signal's thread, so the report and the engine client outlive it
      cleanup.close();
      FailureKind signal = abortedBy;
      BuildException failure = signal != null ? new BuildException(signal, "interrupted during "
          + currentStage().map(Stage::label).orElse("start-up"), List.of(), e) : e;
      writeFailureReport(build, failure);
      throw failure;
    } finally {
      cleanup.close();
    }
  }

  /** No stage starts after an abort: the build only unwinds. */
  private void enter(Stage stage) throws BuildException {
    FailureKind signal = abortedBy;
    if (signal != null) {
      throw new BuildException(signal, "interrupted");
    }
    current = stage;
  }

  /**
   * The failure report, after the cleanup ran so it can say what was undone. A report that
   * cannot be written is a warning among the cleanup failures: the build's own failure is
   * what the user must see.
   */
  private void writeFailureReport(BuildContext build, BuildException failure) {
    Path file = build.options().reportFile();
    if (file == null) {
      return;
    }
    FailureReport report = new FailureReport(MinifyVersion.current(), build.services().engine().version(),
        build.options().image(), true,
        currentStage().map(Stage::label).orElse(""), failure.kind().name().toLowerCase(Locale.ROOT),
        failure.kind().exitCode(), failure.getMessage(), failure.containerLog(), build.timings(), cleanup.cleaned(),
        cleanup.failures(), millisSince(build));
    try {
      new ReportJson().write(report, file);
    } catch (IOException e) {
      cleanup.push("failure report", () -> {
        throw new IOException("cannot write the failure report to " + file + ": " + e.getMessage(), e);
      });
    }
  }

  private static long millisSince(BuildContext build) {
    return Duration.ofNanos(System.nanoTime() - build.startedNanos()).toMillis();
  }
}
