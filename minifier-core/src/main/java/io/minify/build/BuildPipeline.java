package io.minify.build;

import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
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
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import io.minify.probe.HttpProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.HttpProber;
import io.minify.probe.ProbeResult;
import io.minify.report.BuildReport;
import io.minify.report.ReportJson;
import io.minify.run.MonitoredRun;
import io.minify.run.ProbeDriver;
import io.minify.run.ProbeOutcome;
import io.minify.run.RunningContainer;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
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

  public BuildReport run(BuildOptions options) throws BuildException {
    long started = System.nanoTime();
    ExecutorService background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "minify-image-reader");
      t.setDaemon(true);
      return t;
    });
    cleanup.push("background reader", background::shutdownNow);
    try (HttpProber prober = probers.get()) {
      return build(options, prober, background, started);
    } catch (UncheckedIOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "I/O failed: " + e.getCause().getMessage(), List.of(), e);
    } finally {
      cleanup.close();
    }
  }

  private BuildReport build(BuildOptions o, HttpProber prober, ExecutorService background, long started)
      throws BuildException {
    // 1. inspect
    listener.stageStarted(Stage.INSPECT);
    long t0 = System.nanoTime();
    ImageInfo image = engine.inspectImage(o.image()).orElseThrow(() -> new BuildException(FailureKind.BAD_INPUT,
        "image '" + o.image() + "' is not in the local engine (minify never pulls: build or load it first)"));
    ImageConfig config = image.config();
    SlimTag slimTag = o.slimTag() != null ? o.slimTag() : SlimTag.defaultFor(o.image(), image.repoTags());
    List<HttpProbe> plan = probePlan(config, o.probes());
    if (plan.isEmpty()) {
      throw new BuildException(FailureKind.BAD_INPUT,
          "image '" + o.image() + "' exposes no TCP port, so there is nothing to probe over HTTP");
    }
    List<Integer> ports = config.exposedTcpPorts();
    for (HttpProbe p : plan) {
      if (!ports.contains(p.containerPort())) {
        throw new BuildException(FailureKind.BAD_INPUT, "probe " + p.describe() + " targets port "
            + p.containerPort() + ", which the image does not expose (exposed: " + ports + ")");
      }
    }
    Path workDir = createWorkDir(o.workRoot());
    Future<ImageContent> filesystem = background.submit(() -> readImage(o.image(), workDir));
    cleanup.push("image index", () -> closeWhenDone(filesystem));
    finished(Stage.INSPECT, t0, image.layers() + " layers, " + mib(image.sizeBytes()) + ", "
        + plan.size() + " probe(s) planned");

    // 2.-4. start gated, arm the monitor, probe
    String runId = UUID.randomUUID().toString();
    Map<String, String> labels = Map.of(ContainerSpec.OWNER_LABEL, runId);
    listener.stageStarted(Stage.START);
    t0 = System.nanoTime();
    MonitoredRun run = MonitoredRun.start(engine, image.id(), config, ports, workDir, labels);
    cleanup.push("original container", run::close);
    finished(Stage.START, t0, "container " + run.container().id().substring(0, 12) + ", monitor armed");

    listener.stageStarted(Stage.PROBE);
    t0 = System.nanoTime();
    ProbeDriver driver = new ProbeDriver(prober, o.startTimeout());
    List<ProbeOutcome> outcomes = driver.probeOriginal(run.container(), plan);
    finished(Stage.PROBE, t0, outcomes.size() + " probe(s) answered");

    // 5. stop
    listener.stageStarted(Stage.STOP);
    t0 = System.nanoTime();
    AccessLog access = run.stop(o.stopGrace());
    cleanup.runNow("original container");
    finished(Stage.STOP, t0, access.files().size() + " files, " + access.directories().size() + " dirs opened");

    // 6. select
    listener.stageStarted(Stage.SELECT);
    t0 = System.nanoTime();
    ImageContent content = await(filesystem);
    ImageFilesystem fs = content.filesystem();
    KeepSet keep = new KeepSetSelector(fs, config).select(access);
    finished(Stage.SELECT, t0, keep.size() + " of " + fs.entries().size() + " entries kept");

    // 7. package and load (untagged until verified: a failed build leaves no tag behind)
    listener.stageStarted(Stage.PACKAGE);
    t0 = System.nanoTime();
    Path layerFile = workDir.resolve("slim-layer.tar");
    Path archive = workDir.resolve("slim-image.tar");
    String slimId;
    LayerBlob layer;
    try {
      layer = new LayerTarWriter(fs).write(keep.reasons().keySet(), layerFile);
      slimId = new DockerArchiveWriter().write(content.saved().config(), layer, null, archive).imageId();
      boolean existed = engine.inspectImage(slimId).isPresent();
      engine.loadImage(archive);
      if (!existed) {
        cleanup.push("unverified slim image", () -> engine.removeImage(slimId));
      }
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "writing the slim image failed: " + e.getMessage(), List.of(), e);
    }
    finished(Stage.PACKAGE, t0, "one layer, " + layer.entries() + " entries, " + mib(layer.size()));

    // 8. verify
    listener.stageStarted(Stage.VERIFY);
    t0 = System.nanoTime();
    List<ProbeComparison> comparisons;
    List<ProbeResult> replayed;
    try (RunningContainer slim = RunningContainer.create(engine,
        new ContainerSpec(slimId, List.of(), Map.of(), ports, labels))) {
      cleanup.push("slim container", slim::close);
      slim.start();
      replayed = replayOrExplain(driver, slim, plan);
      comparisons = ResponseComparator.compare(outcomes, replayed);
      List<ProbeComparison> failed = comparisons.stream().filter(c -> !c.matches()).toList();
      if (!failed.isEmpty()) {
        ProbeComparison f = failed.get(0);
        throw new BuildException(FailureKind.BUILD_FAILED, "the slim image answered differently: " + f.probe() + ": "
            + f.difference() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""),
            slim.logTail(20), null);
      }
    }
    cleanup.runNow("slim container");
    engine.tagImage(slimId, slimTag.repository(), slimTag.tag());
    cleanup.discard("unverified slim image");
    finished(Stage.VERIFY, t0, comparisons.size() + "/" + comparisons.size() + " probes match; tagged " + slimTag);

    // 9. report
    listener.stageStarted(Stage.REPORT);
    t0 = System.nanoTime();
    long slimBytes = engine.inspectImage(slimId).map(ImageInfo::sizeBytes).orElse(layer.size());
    BuildReport report = report(o, image, slimTag, slimId, slimBytes, fs, keep, access, outcomes, replayed,
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

  private List<ProbeResult> replayOrExplain(ProbeDriver driver, RunningContainer slim, List<HttpProbe> plan)
      throws BuildException {
    try {
      return driver.replay(slim, plan);
    } catch (BuildException e) {
      throw new BuildException(FailureKind.BUILD_FAILED, "the slim image does not work: " + e.getMessage(),
          e.containerLog(), e);
    }
  }

  /**
   * {@code GET /} on every exposed TCP port, then the user's probes; a probe without a port
   * runs on every exposed port. Duplicates are dropped, order is kept.
   */
  static List<HttpProbe> probePlan(ImageConfig config, List<HttpProbe> userProbes) {
    Map<String, HttpProbe> plan = new LinkedHashMap<>();
    List<Integer> ports = config.exposedTcpPorts();
    for (int port : ports) {
      HttpProbe root = HttpProbe.get(port, "/");
      plan.putIfAbsent(key(root), root);
    }
    for (HttpProbe p : userProbes) {
      if (p.containerPort() == ProbeCommandParser.ANY_PORT) {
        for (int port : ports) {
          HttpProbe concrete = ProbeCommandParser.onPort(p, port);
          plan.putIfAbsent(key(concrete), concrete);
        }
      } else {
        plan.putIfAbsent(key(p), p);
      }
    }
    return List.copyOf(plan.values());
  }

  private static String key(HttpProbe p) {
    return p.protocol() + " " + p.describe() + " " + java.util.Arrays.hashCode(p.body()) + p.headers();
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

  private static void closeWhenDone(Future<ImageContent> future) throws IOException {
    future.cancel(true);
    if (future.isDone() && !future.isCancelled()) {
      try {
        future.get().filesystem().close();
      } catch (InterruptedException | ExecutionException e) {
        // it never opened: nothing to close
      }
    }
  }

  private BuildReport report(BuildOptions o, ImageInfo image, SlimTag tag, String slimId, long slimBytes,
      ImageFilesystem fs, KeepSet keep, AccessLog access, List<ProbeOutcome> outcomes, List<ProbeResult> replayed,
      List<ProbeComparison> comparisons, long started) {
    int originalFiles = (int) fs.entries().stream().filter(BuildPipeline::isFile).count();
    int slimFiles = (int) keep.reasons().keySet().stream()
        .filter(p -> fs.entry(p).map(BuildPipeline::isFile).orElse(false)).count();
    List<BuildReport.ProbeRecord> probes = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      ProbeResult r = outcomes.get(i).result();
      ProbeResult s = replayed.get(i);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(r.probe().describe(), r.protocol(), r.status(), r.bodyBytes(),
          r.elapsed().toMillis(), outcomes.get(i).bodyStable(), s.status(), s.bodyBytes(), s.elapsed().toMillis(),
          c.matches(), c.difference()));
    }
    Map<String, Integer> byReason = new LinkedHashMap<>();
    keep.countsByReason().forEach((k, v) -> byReason.put(k.name().toLowerCase(), v));
    List<BuildReport.KeptPath> kept = keep.reasons().entrySet().stream()
        .map(e -> new BuildReport.KeptPath(e.getKey(), e.getValue().name().toLowerCase())).toList();
    return new BuildReport(VERSION, engine.version(), o.image(), image.id(), tag.toString(), slimId,
        new BuildReport.ImageStats(image.sizeBytes(), fs.entries().size(), originalFiles),
        new BuildReport.ImageStats(slimBytes, keep.size(), slimFiles),
        slimBytes == 0 ? 0 : Math.round(10.0 * image.sizeBytes() / slimBytes) / 10.0,
        Duration.ofNanos(System.nanoTime() - started).toMillis(), timings, probes,
        new BuildReport.AccessSummary(access.files().size(), access.directories().size(), access.events(),
            keep.observedNotInImage().size()),
        byReason, keep.unresolvedLibraries(), kept);
  }

  private BuildReport withTimings(BuildReport r, long started) {
    return new BuildReport(r.minifyVersion(), r.engine(), r.image(), r.imageId(), r.slimImage(), r.slimImageId(),
        r.original(), r.slim(), r.ratio(), Duration.ofNanos(System.nanoTime() - started).toMillis(), timings,
        r.probes(), r.access(), r.keptByReason(), r.unresolvedLibraries(), r.kept());
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
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
