package io.minify.pipeline;

import io.minify.analysis.ByteSize;
import io.minify.image.ImageReference;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ImageInfo;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.ImageConfig;
import io.minify.probe.PlannedProbe;
import io.minify.run.ProbeSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Stage 1: the image must be in the engine; its config (with {@code --expose} ports added)
 * decides the ports and the probe plan, checked before anything starts. Reaps what builds
 * that died without cleaning up left ({@link LeftoverReaper}), creates the work directory
 * and starts reading the image's layers in the background.
 */
final class InspectStep implements BuildStep {
  static final Handoff<ImageInfo> IMAGE = Handoff.named("the original image");
  static final Handoff<ImageConfig> CONFIG = Handoff.named("the config the original runs with");
  static final Handoff<ImageReference> SLIM_TAG = Handoff.named("the slim image's tag");
  static final Handoff<List<PlannedProbe>> PLAN = Handoff.named("the HTTP probe plan");
  static final Handoff<List<Integer>> PORTS = Handoff.named("the exposed TCP ports");
  static final Handoff<Path> WORK_DIR = Handoff.named("the work directory");
  static final Handoff<Map<String, String>> LABELS = Handoff.named("the labels of this run's containers");
  static final Handoff<ImageReader> READER = Handoff.named("the image reader");
  /** The tag that holds the slim image for this run only, until it is verified and tagged. */
  static final Handoff<ImageReference> RUN_TAG = Handoff.named("this run's tag");

  /** Where run tags live: {@code docker images minify-run} shows the builds in progress. */
  static final String RUN_REPOSITORY = "minify-run";

  @Override
  public Stage stage() {
    return Stage.INSPECT;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    BuildOptions o = build.options();
    ImageInfo image = build.services().engine().images().inspectImage(o.image()).orElseThrow(() -> new BuildException(
        FailureKind.BAD_INPUT, "image '" + o.image()
            + "' is not in the local engine (minify never pulls: build or load it first)"));
    // the engine answers: first what builds killed before they could clean up left goes
    new LeftoverReaper(build.services().engine().images(), build.services().engine().containers(),
        build.services().host(), build.services().notices())
        .reap(o.workRoot().toAbsolutePath().normalize());
    // --expose ports are published and probed as if the image EXPOSEd them
    ImageConfig config = o.run().exposing(image.config());
    List<Integer> ports = config.exposedTcpPorts();
    // each run probes with its own options: a scenario's probes, or its HTTP probing turned off
    int planned = 0;
    for (BuildContext run : build.scenarioRuns()) {
      ProbeSettings probing = run.options().probing();
      List<PlannedProbe> plan = ProbePlan.of(config, probing);
      try {
        ProbePlan.checkFits(o.image(), probing, plan, ports);
      } catch (BuildException e) {
        throw run.scenario().isEmpty() ? e : new BuildException(e.kind(), "scenario '" + run.scenario().get().name()
            + "': " + e.getMessage(), e.containerLog(), e);
      }
      run.put(PLAN, plan);
      planned += plan.size() + probing.tcpProbes().size() + probing.execs().size() + probing.hostExecs().size();
    }
    build.put(IMAGE, image);
    build.put(CONFIG, config);
    build.put(SLIM_TAG, o.slimTag() != null ? o.slimTag() : ImageReference.slimDefault(o.image(), image.repoTags()));
    build.put(PORTS, ports);
    String runId = UUID.randomUUID().toString().replace("-", "");
    build.put(RUN_TAG, new ImageReference(RUN_REPOSITORY, runId));
    Path workDir = WorkDirectory.create(o.workRoot(), build.cleanup());
    build.put(WORK_DIR, workDir);
    // every container of this run carries its id, work root and directory, so leftovers can
    // always be found; and this process, so a later build can tell when it died without
    // cleaning up (the work directory says the same in its marker)
    Map<String, String> labels = new LinkedHashMap<>();
    Optional<BuildOwner> owner = BuildOwner.current(build.services().host(), runId, workDir);
    owner.ifPresent(me -> labels.putAll(me.labels()));
    labels.put(ContainerSpec.OWNER_LABEL, runId);
    labels.put(ContainerSpec.WORK_ROOT_LABEL, o.workRoot().toAbsolutePath().normalize().toString());
    labels.put(ContainerSpec.WORK_DIR_LABEL, workDir.toAbsolutePath().normalize().toString());
    build.put(LABELS, Collections.unmodifiableMap(labels));
    if (owner.isPresent()) {
      try {
        owner.get().mark();
      } catch (IOException e) {
        throw new BuildException(FailureKind.ENVIRONMENT, "cannot write into the work directory " + workDir + ": "
            + e.getMessage(), List.of(), e);
      }
    }
    build.put(READER, ImageReader.start(build.services().engine().images(), o.image(), workDir, build.cleanup()));
    // a merge plans nothing: its runs replay what their reports recorded
    int recorded = build.scenarioRuns().stream()
        .mapToInt(run -> run.find(RecallStep.RECALLED).map(r -> r.recording().size()).orElse(0)).sum();
    return image.layers() + " layers, " + ByteSize.mib(image.sizeBytes()) + ", " + (recorded > 0
        ? recorded + " recorded probe(s) of " + build.scenarioRuns().size() + " run(s) to replay"
        : planned + " probe(s) planned");
  }
}
