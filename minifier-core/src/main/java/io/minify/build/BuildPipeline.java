package io.minify.build;

import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ImageInfo;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageConfig;
import io.minify.image.ImageFilesystem;
import io.minify.image.ImageFormatException;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.OciLayoutWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import io.minify.packages.PackageDatabaseTrimmer;
import io.minify.packages.TrimmedPackageDatabase;
import io.minify.probe.HttpProbe;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.HttpProber;
import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbe;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.report.BuildReport;
import io.minify.report.ReportJson;
import io.minify.run.ExecOutcome;
import io.minify.run.MonitoredRun;
import io.minify.run.ProbeDriver;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.ProbeSettings;
import io.minify.run.Replay;
import io.minify.run.RunSettings;
import io.minify.run.RunningContainer;
import io.minify.run.StopSignalDisposition;
import io.minify.run.StopWaiter;
import io.minify.select.KeepRuleException;
import io.minify.select.KeepReason;
import io.minify.select.KeepSet;
import io.minify.select.KeepSetSelector;
import io.minify.sensor.AccessLog;
import io.minify.verify.ProbeComparison;
import io.minify.verify.ResponseComparator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;

/**
 * {@code minify build}: the nine stages of DESIGN.md in order. One instance runs one build;
 * everything it creates (containers, the work directory, a not-yet-verified image) is
 * registered in a {@link CleanupStack} and undone on every exit path, {@link #abort()}
 * (Ctrl-C) included.
 *
 * <p>The image's filesystem is read ({@code docker save}, then indexed) on a background
 * thread while the original container runs and is probed, so the slow part of a build
 * overlaps the app's own start-up time.
 */
public final class BuildPipeline {

  public static final String VERSION = "0.1.0";

  private final ContainerEngine engine;
  private final Supplier<HttpProber> probers;
  private final BuildListener listener;
  private final CleanupStack cleanup = new CleanupStack();
  private final List<BuildReport.StageTiming> timings = new ArrayList<>();

  public BuildPipeline(ContainerEngine engine, Supplier<HttpProber> probers, BuildListener listener) {
    this.engine = engine;
    this.probers = probers;
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

  /** How long an abort waits for the image reader's thread to end before the work dir goes. */
  private static final int READER_STOP_SECONDS = 30;

  public BuildReport run(BuildOptions options) throws BuildException {
    long started = System.nanoTime();
    ExecutorService background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "minify-image-reader");
      t.setDaemon(true);
      return t;
    });
    cleanup.push("background reader", background::shutdownNow);
    try {
      return build(options, background, started);
    } catch (UncheckedIOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "I/O failed: " + e.getCause().getMessage(), List.of(), e);
    } finally {
      cleanup.close();
    }
  }

  private BuildReport build(BuildOptions o, ExecutorService background, long started)
      throws BuildException {
    // 1. inspect
    listener.stageStarted(Stage.INSPECT);
    long t0 = System.nanoTime();
    ImageInfo image = engine.inspectImage(o.image()).orElseThrow(() -> new BuildException(FailureKind.BAD_INPUT,
        "image '" + o.image() + "' is not in the local engine (minify never pulls: build or load it first)"));
    // --expose ports are published and probed as if the image EXPOSEd them
    ImageConfig config = o.run().exposing(image.config());
    SlimTag slimTag = o.slimTag() != null ? o.slimTag() : SlimTag.defaultFor(o.image(), image.repoTags());
    List<PlannedProbe> plan = probePlan(config, o.probing());
    List<Integer> ports = config.exposedTcpPorts();
    checkProbesFit(o, plan, ports);
    Path workDir = createWorkDir(o.workRoot());
    Future<ImageContent> filesystem = background.submit(() -> readImage(o.image(), workDir));
    cleanup.push("image index", () -> closeWhenDone(filesystem, background));
    finished(Stage.INSPECT, t0, image.layers() + " layers, " + mib(image.sizeBytes()) + ", "
        + (plan.size() + o.probing().tcpProbes().size() + o.probing().execs().size()) + " probe(s) planned");

    // 2.-4. start gated, arm the monitor, probe
    String runId = UUID.randomUUID().toString();
    Map<String, String> labels = Map.of(ContainerSpec.OWNER_LABEL, runId,
        ContainerSpec.WORK_ROOT_LABEL, o.workRoot().toAbsolutePath().normalize().toString());
    listener.stageStarted(Stage.START);
    t0 = System.nanoTime();
    MonitoredRun run = MonitoredRun.start(engine, image.id(), config, o.run(), ports, workDir, labels);
    cleanup.push("original container", run::close);
    finished(Stage.START, t0, "container " + run.container().id().substring(0, 12) + ", monitor armed");

    listener.stageStarted(Stage.PROBE);
    t0 = System.nanoTime();
    ProbeRecording recording;
    // the prober is closed before the app is stopped: its idle keep-alive connections would
    // hold up an app that shuts down gracefully (it waits for open connections to end)
    try (HttpProber prober = probers.get()) {
      recording = new ProbeDriver(prober, engine, o.probing(), new StopWaiter(System.err))
          .probeOriginal(run.container(), plan);
    }
    finished(Stage.PROBE, t0, recording.size() + " probe(s) answered"
        + (recording.crawledPages().isEmpty() ? "" : ", " + recording.crawledPages().size() + " page(s) crawled")
        + (recording.crawlSkipped().isEmpty() ? "" : ", " + recording.crawlSkipped().size()
            + " destructive-looking link(s) not followed")
        + (recording.unreadyPorts().isEmpty() ? "" : "; warning: port(s) " + recording.unreadyPorts()
            + " never accepted connections within --start-timeout")
        + ", continued after " + recording.continuedAfter());

    // 5. stop
    listener.stageStarted(Stage.STOP);
    t0 = System.nanoTime();
    int pid = run.container().state().pid();
    boolean graceful = pid <= 0 || StopSignalDisposition.catches(pid, config.stopSignal());
    AccessLog access = run.stop(graceful ? o.stopGrace() : Duration.ZERO);
    cleanup.runNow("original container");
    finished(Stage.STOP, t0, access.files().size() + " files, " + access.directories().size() + " dirs opened");

    // 6. select
    listener.stageStarted(Stage.SELECT);
    t0 = System.nanoTime();
    ImageContent content = await(filesystem);
    ImageFilesystem fs = content.filesystem();
    KeepSet keep;
    try {
      keep = new KeepSetSelector(fs, config, o.selectionRules()).select(access);
    } catch (KeepRuleException e) {
      throw new BuildException(FailureKind.BAD_INPUT, e.getMessage());
    }
    finished(Stage.SELECT, t0, keep.size() + " of " + fs.entries().size() + " entries kept"
        + (keep.excluded().isEmpty() ? "" : ", " + keep.excluded().size() + " excluded by pattern")
        + keep.warnings().stream().map(w -> "; warning: " + w).collect(java.util.stream.Collectors.joining()));

    // 7. package and load (untagged until verified: a failed build leaves no tag behind)
    listener.stageStarted(Stage.PACKAGE);
    t0 = System.nanoTime();
    Path layerFile = workDir.resolve("slim-layer.tar");
    Path archive = workDir.resolve("slim-image.tar");
    String slimId;
    LayerBlob layer;
    Optional<TrimmedPackageDatabase> packageDb;
    DockerArchive untagged;
    UnaryOperator<ObjectNode> newConfig = o.config().asMutation(image.id(), VERSION);
    try {
      packageDb = o.keepPackageDb()
          ? PackageDatabaseTrimmer.trim(fs, keep.reasons().keySet()) : Optional.empty();
      layer = new LayerTarWriter(fs).write(packageDb.map(db -> db.layerPaths(keep.reasons().keySet()))
          .orElse(keep.reasons().keySet()), packageDb.map(TrimmedPackageDatabase::replacedContents).orElse(Map.of()),
          layerFile);
      untagged = new DockerArchiveWriter().write(content.saved().config(), layer, null, newConfig, archive);
      slimId = untagged.imageId();
      boolean existed = engine.inspectImage(slimId).isPresent();
      if (!existed) {
        // pushed before the load: a load that fails half-way may still leave the image behind
        cleanup.push("unverified slim image", () -> engine.removeImage(slimId));
      }
      engine.loadImage(archive);
      if (engine.inspectImage(slimId).isEmpty()) {
        throw new BuildException(FailureKind.BUILD_FAILED, "package: docker load reported no error, but the engine"
            + " has no image " + slimId);
      }
    } catch (EngineRefusedException e) {
      // the engine answered, so the host is fine: it refuses what this build wrote (exit 1, not 3)
      throw new BuildException(FailureKind.BUILD_FAILED, "package: the engine refused the slim image: "
          + e.engineMessage(), List.of(), e);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image failed: " + e.getMessage(), List.of(), e);
    }
    finished(Stage.PACKAGE, t0, "one layer, " + layer.entries() + " entries, " + mib(layer.size())
        + packageDb.map(db -> ", " + db).orElse(""));

    // 8. verify
    listener.stageStarted(Stage.VERIFY);
    t0 = System.nanoTime();
    List<ProbeComparison> comparisons;
    Replay replayed;
    // the slim image runs with its NEW config; run settings apply where the new config has no say
    RunSettings slimRun = o.run().yieldingTo(o.config().changesCommand(), o.config().user() != null,
        o.config().workingDir() != null);
    try (RunningContainer slim = RunningContainer.create(engine, slimRun.spec(slimId, config, ports, labels))) {
      cleanup.push("slim container", slim::close);
      try {
        slim.start();
      } catch (EngineException e) {
        // with a new entrypoint/cmd/user/workdir the slim image may not start at all: that is a failed build
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
            slim.logTail(20), e);
      }
      try (HttpProber prober = probers.get()) {
        replayed = replayOrExplain(new ProbeDriver(prober, engine, o.probing(), new StopWaiter(System.err)), slim,
            recording);
      }
      comparisons = ResponseComparator.compare(recording, replayed);
      List<ProbeComparison> failed = comparisons.stream().filter(c -> !c.matches()).toList();
      if (!failed.isEmpty()) {
        ProbeComparison f = failed.get(0);
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image answered differently: " + f.probe() + ": "
            + f.difference() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""),
            slim.logTail(20), null);
      }
    }
    cleanup.runNow("slim container");
    List<String> written = writeOutputs(o.output(), content.saved().config(), layer, untagged, slimTag, newConfig);
    String outcome;
    if (o.output().loadIntoEngine()) {
      engine.tagImage(slimId, slimTag.repository(), slimTag.tag());
      cleanup.discard("unverified slim image");
      outcome = "tagged " + slimTag;
    } else {
      // --no-load: the engine held the image only to verify it; the artifacts are the result
      cleanup.runNow("unverified slim image");
      outcome = "not loaded";
    }
    finished(Stage.VERIFY, t0, comparisons.size() + "/" + comparisons.size() + " probes match; " + outcome
        + written.stream().map(w -> "; written " + w).reduce("", String::concat));

    // 9. report
    listener.stageStarted(Stage.REPORT);
    t0 = System.nanoTime();
    long slimBytes = engine.inspectImage(slimId).map(ImageInfo::sizeBytes).orElse(layer.size());
    BuildReport report = report(o, image, slimTag, slimId, slimBytes, fs, keep, access, recording, replayed,
        comparisons, started);
    if (o.reportFile() != null) {
      try {
        new ReportJson().write(report, o.reportFile());
      } catch (IOException e) {
        throw new BuildException(FailureKind.ENVIRONMENT, "cannot write the report to " + o.reportFile() + ": "
            + e.getMessage(), List.of(), e);
      }
    }
    finished(Stage.REPORT, t0, o.reportFile() == null ? "no report file" : "written to " + o.reportFile());
    return withTimings(report, started);
  }

  /**
   * Writes the requested artifacts, each to a temporary name beside its target and then
   * renamed into place, so a failed build never leaves a half-written artifact (the
   * temporaries are in the cleanup stack until renamed). Returns what was written.
   */
  private List<String> writeOutputs(OutputTargets out, byte[] originalConfig, LayerBlob layer, DockerArchive untagged,
      SlimTag slimTag, UnaryOperator<ObjectNode> newConfig) throws BuildException {
    List<String> written = new ArrayList<>();
    try {
      if (out.dockerArchive() != null) {
        Path target = out.dockerArchive().toAbsolutePath();
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
        cleanup.push("partial " + target, () -> Files.deleteIfExists(partial));
        DockerArchive tagged = new DockerArchiveWriter().write(originalConfig, layer, slimTag.toString(), newConfig,
            partial);
        if (!tagged.imageId().equals(untagged.imageId())) {
          throw new IllegalStateException("the tagged archive has image id " + tagged.imageId() + ", the verified one "
              + untagged.imageId());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        cleanup.discard("partial " + target);
        written.add(out.dockerArchive().toString());
      }
      if (out.ociLayout() != null) {
        Path target = out.ociLayout().toAbsolutePath();
        Path partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        cleanup.push("partial " + target, () -> deleteTree(partial));
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        new OciLayoutWriter().write(untagged.config(), layer, slimTag.toString(), partial);
        // rename(2) replaces an empty directory, which validation allowed
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        cleanup.discard("partial " + target);
        written.add(out.ociLayout().toString());
      }
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image's artifacts failed: " + e, List.of(),
          e);
    }
    return written;
  }

  private Replay replayOrExplain(ProbeDriver driver, RunningContainer slim, ProbeRecording recording)
      throws BuildException {
    try {
      return driver.replay(slim, recording);
    } catch (BuildException e) {
      throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
          e.containerLog(), e);
    }
  }

  /**
   * {@code GET /} on every probed port (the exposed TCP ports, or {@code --http-probe-ports}),
   * then the user's probes; a probe without a port runs on every probed port. Duplicates are
   * dropped, order is kept. Empty when HTTP probing is off.
   */
  static List<PlannedProbe> probePlan(ImageConfig config, ProbeSettings settings) {
    if (!settings.http()) {
      return List.of();
    }
    Map<String, PlannedProbe> plan = new LinkedHashMap<>();
    List<Integer> ports = settings.httpPorts().isEmpty() ? config.exposedTcpPorts() : settings.httpPorts();
    for (int port : ports) {
      PlannedProbe root = PlannedProbe.of(HttpProbe.get(port, "/"), "default");
      plan.putIfAbsent(key(root.probe()), root);
    }
    for (PlannedProbe p : settings.httpProbes()) {
      if (p.probe().containerPort() == ProbeCommandParser.ANY_PORT) {
        for (int port : ports) {
          PlannedProbe concrete = p.onPort(port);
          plan.putIfAbsent(key(concrete.probe()), concrete);
        }
      } else {
        plan.putIfAbsent(key(p.probe()), p);
      }
    }
    return List.copyOf(plan.values());
  }

  private static String key(HttpProbe p) {
    return p.protocol() + " " + p.describe() + " " + java.util.Arrays.hashCode(p.body()) + p.headers();
  }

  /** Every probe must reach a port the image exposes; checked before anything starts. */
  private static void checkProbesFit(BuildOptions o, List<PlannedProbe> plan, List<Integer> ports)
      throws BuildException {
    ProbeSettings probing = o.probing();
    if (probing.http() && plan.isEmpty()) {
      throw new BuildException(FailureKind.BAD_INPUT, "image '" + o.image() + "' exposes no TCP port, so there is"
          + " nothing to probe over HTTP (for a non-HTTP app use --http-probe-off with --tcp-probe, --exec or"
          + " --continue-after)");
    }
    for (PlannedProbe p : plan) {
      if (!ports.contains(p.probe().containerPort())) {
        throw new BuildException(FailureKind.BAD_INPUT, "probe " + p.probe().describe() + " targets port "
            + p.probe().containerPort() + ", which the image does not expose (exposed: " + ports + ")");
      }
    }
    for (TcpProbe t : probing.tcpProbes()) {
      if (!ports.contains(t.containerPort())) {
        throw new BuildException(FailureKind.BAD_INPUT, "--tcp-probe " + t.containerPort()
            + ": the image does not expose that port (exposed: " + ports + ")");
      }
    }
  }

  private Path createWorkDir(Path root) throws BuildException {
    try {
      Files.createDirectories(root);
      Path dir = Files.createTempDirectory(root, "minify-");
      cleanup.push("work directory", () -> deleteTree(dir));
      // the gate directory inside must be reachable by the app's (maybe non-root) user
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "cannot create a work directory under " + root + ": "
          + e.getMessage(), List.of(), e);
    }
  }

  /** The saved image (its config bytes) and the index over its layers. */
  private record ImageContent(SavedImage saved, ImageFilesystem filesystem) {}

  private ImageContent readImage(String image, Path workDir) throws IOException, ImageFormatException {
    Path imageDir = workDir.resolve("image");
    Files.createDirectories(imageDir);
    SavedImage saved;
    try (InputStream in = engine.saveImage(image)) {
      // an abort closes the stream: a blocked socket read does not answer to interrupts,
      // and the reader must stop writing before the work directory is deleted
      cleanup.push("image stream", in::close);
      saved = SavedImage.read(in, imageDir);
    }
    return new ImageContent(saved, LayeredImageFilesystem.open(saved));
  }

  private static ImageContent await(Future<ImageContent> future) throws BuildException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while reading the image");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      FailureKind kind = cause instanceof ImageFormatException ? FailureKind.BAD_INPUT : FailureKind.ENVIRONMENT;
      throw new BuildException(kind, "reading the image's layers failed: " + cause.getMessage(), List.of(), cause);
    }
  }

  /**
   * Stops the image reader and waits until its thread has ended (the image stream was closed
   * just before, so a blocked read returns): the work directory is deleted next, and a reader
   * still unwinding would delete or write files in it at the same time.
   */
  private static void closeWhenDone(Future<ImageContent> future, ExecutorService background) throws IOException {
    future.cancel(true);
    background.shutdownNow();
    try {
      if (!background.awaitTermination(READER_STOP_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the image reader did not stop within " + READER_STOP_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the image reader to stop", e);
    }
    if (future.isDone() && !future.isCancelled()) {
      try {
        future.get().filesystem().close();
      } catch (InterruptedException | ExecutionException e) {
        // it never opened: nothing to close
      }
    }
  }

  private BuildReport report(BuildOptions o, ImageInfo image, SlimTag tag, String slimId, long slimBytes,
      ImageFilesystem fs, KeepSet keep, AccessLog access, ProbeRecording recording, Replay replayed,
      List<ProbeComparison> comparisons, long started) {
    int originalFiles = (int) fs.entries().stream().filter(BuildPipeline::isFile).count();
    int slimFiles = (int) keep.reasons().keySet().stream()
        .filter(p -> fs.entry(p).map(BuildPipeline::isFile).orElse(false)).count();
    List<BuildReport.ProbeRecord> probes = probeRecords(recording, replayed, comparisons);
    Map<String, Integer> byReason = new LinkedHashMap<>();
    keep.countsByReason().forEach((k, v) -> byReason.put(k.label(), v));
    Map<KeepReason, Long> bytes = new EnumMap<>(KeepReason.class);
    keep.reasons().forEach((path, why) -> fs.entry(path).filter(e -> e.type() == EntryType.FILE)
        .ifPresent(e -> bytes.merge(why.reason(), e.size(), Long::sum)));
    Map<String, Long> bytesByReason = new LinkedHashMap<>();
    bytes.forEach((k, v) -> bytesByReason.put(k.label(), v));
    List<BuildReport.KeepUnitRecord> units = keep.units().entrySet().stream()
        .map(u -> new BuildReport.KeepUnitRecord(u.getKey().label(), u.getKey().reason().label(),
            bytes.getOrDefault(u.getKey().reason(), 0L), u.getValue()))
        .toList();
    List<BuildReport.KeptPath> kept = keep.reasons().entrySet().stream()
        .map(e -> new BuildReport.KeptPath(e.getKey().toString(), e.getValue().reason().label(), e.getValue().detail()))
        .toList();
    List<BuildReport.ExcludedPath> excluded = keep.excluded().values().stream()
        .map(x -> new BuildReport.ExcludedPath(x.path().toString(), x.glob(), x.wouldKeep().label())).toList();
    List<BuildReport.ExplainedPath> explained = keep.explanations().stream()
        .map(x -> new BuildReport.ExplainedPath(x.path(), x.kept(), x.verdict())).toList();
    return new BuildReport(VERSION, engine.version(), o.image(), image.id(), tag.toString(), slimId,
        new BuildReport.ImageStats(image.sizeBytes(), fs.entries().size(), originalFiles),
        new BuildReport.ImageStats(slimBytes, keep.size(), slimFiles),
        slimBytes == 0 ? 0 : Math.round(10.0 * image.sizeBytes() / slimBytes) / 10.0,
        Duration.ofNanos(System.nanoTime() - started).toMillis(), timings, probes,
        new BuildReport.AccessSummary(access.files().size(), access.directories().size(), access.events(),
            keep.observedNotInImage().size()),
        byReason, bytesByReason, units, keep.unresolvedLibraries(), kept, excluded, explained,
        new BuildReport.ProbeSummary(recording.crawledPages(), recording.crawlTruncated(), recording.crawlSkipped(),
            recording.readyPorts(), recording.continuedAfter()));
  }

  /** One report row per HTTP, TCP and exec probe, in the order of the comparisons. */
  private static List<BuildReport.ProbeRecord> probeRecords(ProbeRecording recording, Replay replayed,
      List<ProbeComparison> comparisons) {
    List<BuildReport.ProbeRecord> probes = new ArrayList<>();
    int i = 0;
    for (int h = 0; h < recording.http().size(); h++, i++) {
      ProbeOutcome o = recording.http().get(h);
      ProbeResult r = o.result();
      ProbeResult s = replayed.http().get(h);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(r.probe().describe(), r.protocol(), r.status(), r.bodyBytes(),
          r.elapsed().toMillis(), o.bodyStable(), s.status(), s.bodyBytes(), s.elapsed().toMillis(),
          c.matches(), c.difference(), "http", o.source()));
    }
    for (int t = 0; t < recording.tcp().size(); t++, i++) {
      TcpProbeResult r = recording.tcp().get(t);
      TcpProbeResult s = replayed.tcp().get(t);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(r.probe().describe(), "tcp", r.ok() ? 1 : 0, r.received(),
          r.elapsed().toMillis(), true, s.ok() ? 1 : 0, s.received(), s.elapsed().toMillis(), c.matches(),
          c.difference(), "tcp", "tcp"));
    }
    for (int e = 0; e < recording.exec().size(); e++, i++) {
      ExecOutcome r = recording.exec().get(e);
      ExecOutcome s = replayed.exec().get(e);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(c.probe(), "exec", r.result().exitCode(), r.result().output().length,
          r.result().elapsed().toMillis(), false, s.result().exitCode(), s.result().output().length,
          s.result().elapsed().toMillis(), c.matches(), c.difference(), "exec", "exec"));
    }
    return probes;
  }

  private BuildReport withTimings(BuildReport r, long started) {
    return new BuildReport(r.minifyVersion(), r.engine(), r.image(), r.imageId(), r.slimImage(), r.slimImageId(),
        r.original(), r.slim(), r.ratio(), Duration.ofNanos(System.nanoTime() - started).toMillis(), timings,
        r.probes(), r.access(), r.keptByReason(), r.keptBytesByReason(), r.keepUnits(), r.unresolvedLibraries(),
        r.kept(), r.excluded(), r.explained(), r.probing());
  }

  private static boolean isFile(FileEntry e) {
    return e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK;
  }

  private void finished(Stage stage, long startNanos, String summary) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    timings.add(new BuildReport.StageTiming(stage.label(), elapsed.toMillis(), summary));
    listener.stageFinished(stage, elapsed, summary);
  }

  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  static void deleteTree(Path dir) throws IOException {
    try {
      deleteTreeOnce(dir);
    } catch (IOException raced) {
      // on an abort the image reader may still be unwinding and deleting its own files
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deleteTreeOnce(dir);
    }
  }

  private static void deleteTreeOnce(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
