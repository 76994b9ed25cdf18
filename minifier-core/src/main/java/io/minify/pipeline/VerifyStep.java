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
import java.util.List;

/**
 * Stage 8: the slim image runs with its new config and gets the same probes; every answer
 * must match the original's. Only then the artifacts are written and the image is tagged
 * (or, with {@code --no-load}, removed from the engine again).
 */
final class VerifyStep implements BuildStep {
  static final Handoff<Replay> REPLAY = Handoff.named("the slim image's answers");
  static final Handoff<List<ProbeComparison>> COMPARISONS = Handoff.named("the probe comparisons");

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
    List<ProbeComparison> comparisons;
    List<String> slimLog;
    Replay replayed;
    // published where the original was: an engine reached over the network publishes on its host's addresses
    RunningContainer slim = RunningContainer.create(services.engine().containers(), slimRun.spec(slimImage,
        build.get(InspectStep.CONFIG), build.get(InspectStep.PORTS), build.get(InspectStep.LABELS))
        .publishedOn(build.get(StartStep.RUN).publishAddress()));
    CleanupStack.Handle removal = build.cleanup().push("slim container", slim::close);
    try {
      try {
        slim.start();
      } catch (EngineException e) {
        // with a new entrypoint/cmd/user/workdir the slim image may not start at all: that is a failed build
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
            slim.logTail(20), e);
      }
      // an abort (Ctrl-C) from another thread ends a host-exec command with the build
      CleanupStack.Handle hostCommand = recording.hostExec().isEmpty() ? null
          : build.cleanup().push("host-exec command", services.hostCommands()::stopRunning);
      try (HttpProber prober = services.httpProbers().get()) {
        replayed = new ProbeDriver(prober, services.tcpProber(), services.engine().containers(), o.probing(),
            services.stopWaiter(), services.sleeper(), ListeningSockets.unknown(),
            new HostExecs(services.hostCommands(), build.get(InspectStep.WORK_DIR))).replay(slim, recording);
      } catch (BuildException e) {
        if (e.kind() == FailureKind.ENVIRONMENT) {
          throw e; // a host-exec command this host could not start: not the slim image's doing
        }
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
            e.containerLog(), e);
      } finally {
        if (hostCommand != null) {
          hostCommand.keep();
        }
      }
      build.put(REPLAY, replayed);
      comparisons = ResponseComparator.compare(recording, replayed, o.loosePaths());
      slimLog = comparisons.stream().allMatch(ProbeComparison::matches) ? List.of() : slim.logTail(20);
    } finally {
      removal.runNow();
    }
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
    ImageReference slimTag = build.get(InspectStep.SLIM_TAG);
    List<String> written = new ArtifactWriter(build.cleanup()).write(o.output(),
        build.get(SelectStep.CONTENT).saved().config(), build.get(PackageStep.LAYER), build.get(PackageStep.LOADED),
        slimTag, build.get(PackageStep.NEW_CONFIG));
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
    long runDependent = comparisons.stream().filter(ProbeComparison::runDependent).count();
    return comparisons.size() + "/" + comparisons.size() + " probes match"
        + (runDependent == 0 ? "" : " (" + runDependent + " run-dependent: compared on what two runs of the original"
            + " kept)") + confirmed + flakyHostExecs(replayed) + "; " + outcome
        + written.stream().map(w -> "; written " + w).reduce("", String::concat);
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
          .publishedOn(build.get(StartStep.RUN).publishAddress()));
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
