package io.minify.pipeline;

import io.minify.image.ImageReference;
import io.minify.engine.EngineException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpProber;
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
    // published where the original was: an engine reached over the network publishes on its host's addresses
    RunningContainer slim = RunningContainer.create(services.engine(), slimRun.spec(slimImage,
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
      Replay replayed;
      try (HttpProber prober = services.httpProbers().get()) {
        replayed = new ProbeDriver(prober, services.tcpProber(), services.engine(), o.probing(),
            services.stopWaiter()).replay(slim, recording);
      } catch (BuildException e) {
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
            e.containerLog(), e);
      }
      build.put(REPLAY, replayed);
      comparisons = ResponseComparator.compare(recording, replayed);
      List<ProbeComparison> failed = comparisons.stream().filter(c -> !c.matches()).toList();
      if (!failed.isEmpty()) {
        ProbeComparison f = failed.get(0);
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image answered differently: " + f.probe() + ": "
            + f.difference() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""),
            slim.logTail(20), null);
      }
    } finally {
      removal.runNow();
    }
    build.put(COMPARISONS, comparisons);
    ImageReference slimTag = build.get(InspectStep.SLIM_TAG);
    List<String> written = new ArtifactWriter(build.cleanup()).write(o.output(),
        build.get(SelectStep.CONTENT).saved().config(), build.get(PackageStep.LAYER), build.get(PackageStep.LOADED),
        slimTag, build.get(PackageStep.NEW_CONFIG));
    String outcome;
    if (o.output().loadIntoEngine()) {
      services.engine().tagImage(slimImage, slimTag.repository(), slimTag.tag());
      outcome = "tagged " + slimTag;
    } else {
      // --no-load: the engine held the image only to verify it; the artifacts are the result
      outcome = "not loaded";
    }
    // the run tag goes either way: with the slim tag on, that only untags
    build.get(PackageStep.UNVERIFIED).runNow();
    return comparisons.size() + "/" + comparisons.size() + " probes match; " + outcome
        + written.stream().map(w -> "; written " + w).reduce("", String::concat);
  }
}
