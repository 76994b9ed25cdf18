package io.minify.pipeline;

import io.minify.image.ImageReference;
import io.minify.engine.EngineException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpProber;
import io.minify.run.HostExecOutcome;
import io.minify.run.HostExecs;
import io.minify.run.ListeningSockets;
import io.minify.run.ProbeDriver;
import io.minify.run.ProbeRecording;
import io.minify.run.Replay;
import io.minify.run.RunSettings;
import io.minify.run.RunningContainer;
import io.minify.verify.ProbeComparison;
import io.minify.verify.ResponseComparator;
import io.minify.run.SeccompProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Stage 8: the slim image runs with its new config and gets the same probes; every answer
 * must match the original's. With scenarios, this runs once per scenario (each with its own
 * run settings and the probes recorded in its own watched run). Only when every run matched,
 * {@link #release} writes the artifacts and tags the image (or, with {@code --no-load}, removes
 * it from the engine again).
 */
final class VerifyStep implements BuildStep {
  static final Handoff<Replay> REPLAY = Handoff.named("the slim image's answers");
  static final Handoff<List<ProbeComparison>> COMPARISONS = Handoff.named("the probe comparisons");
  private static final String DOES_NOT_WORK = "the slim image does not work: ";

  @Override
  public Stage stage() {
    return Stage.VERIFY;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    BuildOptions o = build.options();
    BuildServices services = build.services();
    // the slim image by the run's tag: its id is the store's own (config or manifest digest)
    String slimImage = build.get(InspectStep.RUN_TAG).toString();
    ProbeRecording recording = build.get(ProbeStep.RECORDING);
    // the slim image runs with its NEW config; run settings apply where the new config has no say
    RunSettings slimRun = o.run().yieldingTo(o.config().changesCommand(), o.config().user() != null,
        o.config().workingDir() != null);
    Optional<SeccompProfile> seccomp = seccompProfile(build);
    SlimRun first = seccomp.isPresent() ? underProfile(build, slimRun, recording, seccomp.get())
        : runSlim(build, slimRun, recording, List.of());
    Replay replayed = first.replayed();
    build.put(REPLAY, replayed);
    List<ProbeComparison> comparisons = first.comparisons();
    List<String> slimLog = first.log();
    String confirmed = "";
    if (ResponseComparator.worthConfirming(comparisons)) {
      // only bodies differ: a second, unwatched run of the original tells the app's own
      // run-to-run differences (a start time, a row seeded at start) from the slim image's
      long differing = comparisons.stream().filter(c -> !c.matches()).count();
      Replay again = rerunOriginal(build, recording, comparisons);
      comparisons = ResponseComparator.confirm(recording, replayed, again, o.loosePaths(), comparisons);
      confirmed = "; " + differing + " body difference" + (differing == 1 ? "" : "s")
          + " checked against a second run of the original";
    }
    List<ProbeComparison> failed = comparisons.stream().filter(c -> !c.matches()).toList();
    if (!failed.isEmpty()) {
      ProbeComparison f = failed.get(0);
      throw new BuildException(FailureKind.BUILD_FAILED, "the slim image answered differently: " + f.probe() + ": "
          + f.difference() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""),
          slimLog, null);
    }
    build.put(COMPARISONS, comparisons);
    long runDependent = comparisons.stream().filter(ProbeComparison::runDependent).count();
    return comparisons.size() + "/" + comparisons.size() + " probes match"
        + (runDependent == 0 ? "" : " (" + runDependent + " run-dependent: compared on what two runs of the original"
            + " kept)") + confirmed + flakyHostExecs(replayed);
  }

  /**
   * "; host-exec 'pytest' matched on a rerun (its first run on the slim image exited 1)": a
   * command whose first run differed and whose second matched is a flaky test, which passes
   * the build; the user is told all the same.
   */
  private static String flakyHostExecs(Replay replayed) {
    StringBuilder said = new StringBuilder();
    for (HostExecOutcome h : replayed.hostExec()) {
      if (h.rerun()) {
        said.append("; host-exec '").append(h.command().text()).append("' matched on a rerun (its first run on the")
            .append(" slim image ended with ").append(h.runs().get(0).timedOut() ? "no exit in time"
                : "exit code " + h.runs().get(0).exitCode()).append(": a flaky test?)");
      }
    }
    return said.toString();
  }

  /**
   * Once every scenario's slim run matched (a plain build has one): the artifacts are written
   * and the slim image is tagged, in the build's context.
   *
   * @return the rest of the verify stage's summary ("; tagged app.slim:1; written app.tar")
   */
  static String release(BuildContext build) throws BuildException {
    BuildOptions o = build.options();
    BuildServices services = build.services();
    String slimImage = build.get(InspectStep.RUN_TAG).toString();
    ImageReference slimTag = build.get(InspectStep.SLIM_TAG);
    ArtifactWriter artifacts = new ArtifactWriter(build.cleanup());
    List<String> written = new ArrayList<>(artifacts.write(o.output(),
        build.get(SelectStep.CONTENT).saved().config(), build.get(PackageStep.LAYER), build.get(PackageStep.LOADED),
        slimTag, build.get(PackageStep.NEW_CONFIG)));
    Optional<SeccompProfile> seccomp = seccompProfile(build);
    if (seccomp.isPresent()) {
      written.add(artifacts.writeFile(o.output().seccompProfile(), seccomp.get().toJson()) + " (seccomp profile, "
          + seccomp.get().allowed().size() + " syscalls, verified under it)");
    }
    String outcome;
    if (o.output().loadIntoEngine()) {
      services.engine().images().tagImage(slimImage, slimTag.repository(), slimTag.tag());
      outcome = "tagged " + slimTag;
    } else {
      // --no-load: the engine held the image only to verify it; the artifacts are the result
      outcome = "not loaded";
    }
    // the run tag goes either way: with the slim tag on, that only untags
    build.get(PackageStep.UNVERIFIED).runNow();
    return "; " + (build.scenarioRuns().size() > 1 ? "all " + build.scenarioRuns().size() + " scenarios pass; " : "")
        + outcome + written.stream().map(w -> "; written " + w).reduce("", String::concat);
  }

  /**
   * With {@code --seccomp-profile}, the profile every slim run of the build runs under: what
   * the watched runs of all its scenarios made (one run for a plain build), since one slim
   * image serves them all.
   */
  static Optional<SeccompProfile> seccompProfile(BuildContext context) {
    BuildContext build = context.build();
    if (!build.options().output().tracesSyscalls()) {
      return Optional.empty();
    }
    return build.scenarioRuns().stream().map(run -> run.get(StopStep.SECCOMP)).reduce(SeccompProfile::union);
  }

  /** One run of the slim image: its answers, how they compare, and its log when they differ. */
  private record SlimRun(Replay replayed, List<ProbeComparison> comparisons, List<String> log) {
    Set<String> failing() {
      return comparisons.stream().filter(c -> !c.matches()).map(ProbeComparison::probe)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * Runs the slim image with {@code securityOptions} and replays the recording against it.
   *
   * @throws BuildException (build failed) when it does not start or does not answer
   */
  private static SlimRun runSlim(BuildContext build, RunSettings slimRun, ProbeRecording recording,
      List<String> securityOptions) throws BuildException {
    BuildOptions o = build.options();
    BuildServices services = build.services();
    String slimImage = build.get(InspectStep.RUN_TAG).toString();
    // published where the original was: an engine reached over the network publishes on its host's addresses
    RunningContainer slim = RunningContainer.create(services.engine().containers(), slimRun.spec(slimImage,
        build.get(InspectStep.CONFIG), build.get(InspectStep.PORTS), build.get(InspectStep.LABELS))
        .publishedOn(build.get(StartStep.PUBLISH_ADDRESS)).withSecurityOptions(securityOptions));
    CleanupStack.Handle removal = build.cleanup().push("slim container", slim::close);
    try {
      try {
        slim.start();
      } catch (EngineException e) {
        // with a new entrypoint/cmd/user/workdir the slim image may not start at all: that is a failed build
        throw new BuildException(FailureKind.BUILD_FAILED, DOES_NOT_WORK + e.getMessage(),
            slim.logTail(20), e);
      }
      Replay replayed;
      // an abort (Ctrl-C) from another thread ends a host-exec command with the build
      CleanupStack.Handle hostCommand = recording.hostExec().isEmpty() ? null
          : build.cleanup().push("host-exec command", services.hostCommands()::stopRunning);
      try (HttpProber prober = services.httpProbers().get()) {
        replayed = new ProbeDriver(prober, services.tcpProber(), services.engine().containers(), o.probing(),
            services.stopWaiter(), services.sleeper(), ListeningSockets.unknown(),
            new HostExecs(services.hostCommands(), build.get(InspectStep.WORK_DIR))).replay(slim, recording);
      } catch (BuildException e) {
        if (e.kind().bySignal() || e.kind() == FailureKind.ENVIRONMENT) {
          throw e; // an abort, or a host-exec command this host could not start: not the slim image's doing
        }
        throw new BuildException(FailureKind.BUILD_FAILED, DOES_NOT_WORK + e.getMessage(),
            e.containerLog(), e);
      } finally {
        if (hostCommand != null) {
          hostCommand.keep();
        }
      }
      List<ProbeComparison> comparisons = ResponseComparator.compare(recording, replayed, o.loosePaths());
      List<String> log = comparisons.stream().allMatch(ProbeComparison::matches) ? List.of() : slim.logTail(20);
      return new SlimRun(replayed, comparisons, log);
    } finally {
      removal.runNow();
    }
  }

  /**
   * The slim image under the recorded seccomp profile. When it fails there, it is run once
   * more without the profile before the build fails: a failure the profile alone causes (a
   * syscall the app made in verification but not while watched) is said to be the profile's,
   * naming the option; one the slim image has either way is the slim image's, as without it.
   */
  private static SlimRun underProfile(BuildContext build, RunSettings slimRun, ProbeRecording recording,
      SeccompProfile profile) throws BuildException {
    SlimRun confined;
    try {
      confined = runSlim(build, slimRun, recording, List.of(profile.securityOption()));
      if (confined.failing().isEmpty()) {
        return confined;
      }
    } catch (BuildException e) {
      if (e.kind() != FailureKind.BUILD_FAILED) {
        throw e;
      }
      SlimRun free;
      try {
        free = runSlim(build, slimRun, recording, List.of());
      } catch (BuildException without) {
        throw e; // it fails without the profile too: not the profile's doing
      }
      throw deniedByProfile(e.getMessage().replaceFirst("^" + DOES_NOT_WORK, ""), free, e.containerLog());
    }
    SlimRun free;
    try {
      free = runSlim(build, slimRun, recording, List.of());
    } catch (BuildException without) {
      if (without.kind() != FailureKind.BUILD_FAILED) {
        throw without;
      }
      return confined; // worse without the profile: its differences are the slim image's
    }
    Set<String> failingFree = free.failing();
    if (confined.failing().containsAll(failingFree) && !failingFree.containsAll(confined.failing())) {
      ProbeComparison first = confined.comparisons().stream()
          .filter(c -> !c.matches() && !failingFree.contains(c.probe())).findFirst().orElseThrow();
      throw deniedByProfile(first.probe() + ": " + first.difference(), free, confined.log());
    }
    return confined;
  }

  private static BuildException deniedByProfile(String failure, SlimRun free, List<String> log) {
    String without = free.failing().isEmpty() ? "passes every probe without it"
        : "fails fewer probes without it (" + free.failing().size() + ")";
    return new BuildException(FailureKind.BUILD_FAILED, "the seccomp profile denied the slim app a syscall it needs: "
        + failure + "; the slim image " + without + ", so the app made a syscall in verification that it did not"
        + " make while watched (probe that path too, or leave out --seccomp-profile)", log, null);
  }

  /**
   * The original image again, unwatched, with the same settings and the same requests: its
   * answers to the differing probes say whether they differ from run to run. A second run
   * that cannot be made leaves the first pass's verdict, saying why.
   */
  private static Replay rerunOriginal(BuildContext build, ProbeRecording recording, List<ProbeComparison> first)
      throws BuildException {
    BuildOptions o = build.options();
    BuildServices services = build.services();
    RunningContainer again = null;
    CleanupStack.Handle removal = null;
    try (HttpProber prober = services.httpProbers().get()) {
      again = RunningContainer.create(services.engine().containers(), o.run().spec(build.get(InspectStep.IMAGE).id().toString(),
          build.get(InspectStep.CONFIG), build.get(InspectStep.PORTS), build.get(InspectStep.LABELS))
          .publishedOn(build.get(StartStep.PUBLISH_ADDRESS)));
      removal = build.cleanup().push("second run of the original", again::close);
      again.start();
      // only bodies differed: the host-exec commands, whose exit codes matched, need no second run
      return new ProbeDriver(prober, services.tcpProber(), services.engine().containers(), o.probing(), services.stopWaiter(),
          services.sleeper()).replay(again, recording.withoutHostExecs());
    } catch (EngineException | BuildException e) {
      if (e instanceof BuildException b && b.kind().bySignal()) {
        throw b;
      }
      ProbeComparison f = first.stream().filter(c -> !c.matches()).findFirst().orElseThrow();
      throw new BuildException(FailureKind.BUILD_FAILED, "the slim image answered differently: " + f.probe() + ": "
          + f.difference() + "; a second run of the original, to tell whether that page differs from run to run,"
          + " failed: " + e.getMessage(), again == null ? List.of() : again.logTail(20), e);
    } finally {
      if (removal != null) {
        removal.runNow();
      }
    }
  }
}
