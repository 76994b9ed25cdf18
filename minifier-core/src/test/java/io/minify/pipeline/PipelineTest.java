package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.analysis.ByteSize;
import io.minify.elf.ElfStripPlan;
import io.minify.engine.EngineException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.pack.DockerArchiveValidator;
import io.minify.pack.OciLayoutValidator;
import io.minify.path.UnixPath;
import io.minify.report.BuildReport;
import io.minify.run.SeccompProfile;
import io.minify.sensor.syscall.Architecture;
import io.minify.sensor.syscall.SyscallRecording;
import io.minify.sensor.syscall.SyscallTable;
import io.minify.engine.ContainerSpec;
import io.minify.report.ReportJson;
import io.minify.run.ContinueAfter;
import io.minify.run.ProbeSettings;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline against {@link FakeHost}: no root, no engine. What the integration tests
 * show on real images, at the level of orchestration: the stage order, what is tagged and when,
 * that a slim image answering differently is refused, that every failure (an engine fault at
 * any call, an abort) leaves nothing behind, and that the report is the same for the same input.
 */
class PipelineTest {
  private static final String SLIM = "fake/app.slim:1";

  @TempDir
  Path tmp;

  private BuildOptions options() {
    return BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work")).build();
  }

  @Test
  void theStagesRunInOrderAndOnlyAVerifiedImageIsTagged() throws Exception {
    FakeHost host = new FakeHost();
    List<Stage> stages = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> stages.add(stage))
        .run(options().toBuilder().reportFile(tmp.resolve("report.json")).build());

    // every stage but merge's recall of an earlier report's run
    List<Stage> buildStages = Arrays.stream(Stage.values()).filter(s -> s != Stage.RECALL).toList();
    assertEquals(buildStages, stages);
    assertEquals(buildStages, BuildPipeline.steps().stream().map(BuildStep::stage).toList(),
        "the step list is the stage list");
    assertEquals(List.of("created original container", "pinned pid 4001", "monitor armed", "removed container"),
        host.events.subList(0, 4), "the original is pinned and watched from its start, removed before selection");
    List<String> rest = host.events.subList(4, host.events.size()).stream()
        .map(e -> e.replaceAll("minify-run:[0-9a-f]{32}", "minify-run:RUN").replaceAll("sha256:[0-9a-f]+", "ID"))
        .toList();
    assertEquals(List.of("loaded ID as [minify-run:RUN]", "created slim container", "removed container",
        "tagged fake/app.slim:1", "untagged minify-run:RUN"), rest,
        "loaded and held by the run's own tag, tagged only after the slim run, then the run tag goes");

    Map<UnixPath, byte[]> slim = host.engine.filesOf(SLIM);
    for (String used : List.of("/bin/app", "/etc/app.conf", "/srv/www/index.html")) {
      assertTrue(slim.containsKey(UnixPath.of(used)), used + " is kept: " + slim.keySet());
    }
    assertFalse(slim.containsKey(UnixPath.of("/usr/share/doc/manual.txt")), "unused documentation is dropped");

    assertEquals(SLIM, report.slimImage());
    assertEquals(MinifyVersion.current(), report.minifyVersion());
    assertTrue(report.probes().stream().allMatch(BuildReport.ProbeRecord::matches), report.probes().toString());
    assertTrue(report.slim().bytes() < report.original().bytes(), report.slim() + " vs " + report.original());
    assertEquals(buildStages.stream().map(Stage::label).toList(),
        report.stages().stream().map(BuildReport.StageTiming::stage).toList());
    assertTrue(Files.size(tmp.resolve("report.json")) > 0);
    assertNothingLeft(host, true);
  }

  @Test
  void aSeccompProfileIsRecordedWrittenAndTheSlimImageVerifiedUnderIt() throws Exception {
    assumeTrue(Architecture.host().equals(Optional.of(Architecture.X86_64)), "the fake tracer's numbers are x86_64's");
    FakeHost host = new FakeHost();
    Path profile = tmp.resolve("profile.json");
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent()).run(options().toBuilder()
        .output(OutputTargets.defaults().withSeccompProfile(profile)).build());

    String json = Files.readString(profile);
    assertTrue(json.contains("\"defaultAction\" : \"SCMP_ACT_ERRNO\""), json);
    for (String name : List.of("accept4", "epoll_wait", "read", "write", "execve")) {
      assertTrue(json.contains("\"" + name + "\""), name + " in " + json);
    }
    List<ContainerSpec> specs = host.engine.createdSpecs;
    assertEquals(List.of(), specs.get(0).securityOptions(), "the watched original runs as the engine runs it");
    assertEquals(List.of("seccomp=" + json), specs.get(1).securityOptions(), "the slim run is confined by it");
    assertEquals(new BuildReport.SeccompSummary(profile.toString(), SeccompProfile.of(
        new SyscallRecording(FakeHost.TRACED, 0), SyscallTable.of(Architecture.X86_64)).allowed().size(), 4, true),
        report.seccomp());
    assertTrue(host.events.indexOf("syscall tracer armed") > host.events.indexOf("monitor armed"), host.events.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void aSyscallTheWatchedRunNeverMadeFailsTheBuildNamingTheProfile() throws Exception {
    assumeTrue(Architecture.host().equals(Optional.of(Architecture.X86_64)), "the fake tracer's numbers are x86_64's");
    FakeHost host = new FakeHost().slimNeedsSyscall("sendfile");
    Path profile = tmp.resolve("profile.json");
    BuildException e = assertThrows(BuildException.class, () -> new BuildPipeline(host.services(),
        BuildListener.silent()).run(options().toBuilder().output(OutputTargets.defaults().withSeccompProfile(profile))
        .build()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("verify: the seccomp profile denied the slim app a syscall it needs: port"
        + " 8080 never answered HTTP"), e.getMessage());
    assertTrue(e.getMessage().endsWith("the slim image passes every probe without it, so the app made a syscall in"
        + " verification that it did not make while watched (probe that path too, or leave out --seccomp-profile)"),
        e.getMessage());
    // confirmed before it failed: the slim image ran once more, without the profile
    assertEquals(List.of(List.of(), List.of("seccomp="), List.of()), host.engine.createdSpecs.stream()
        .map(spec -> spec.securityOptions().stream().map(o -> o.substring(0, 8)).toList()).toList());
    assertFalse(Files.exists(profile), "a profile the slim image failed under is not written");
    assertNothingLeft(host, false);
  }

  @Test
  void aTraceTheKernelLostEventsOfFailsTheBuild() throws Exception {
    assumeTrue(Architecture.host().isPresent());
    FakeHost host = new FakeHost().tracerLoses(7);
    BuildException e = assertThrows(BuildException.class, () -> new BuildPipeline(host.services(),
        BuildListener.silent()).run(options().toBuilder()
        .output(OutputTargets.defaults().withSeccompProfile(tmp.resolve("p.json"))).build()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("stop: --seccomp-profile: the kernel's trace buffer dropped 7 syscall events, so the recorded set may"
        + " lack a syscall the app needs; a profile from it could deny the app a syscall it needs (build again, or"
        + " leave out --seccomp-profile)", e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void aSlimImageThatAnswersDifferentlyIsRemovedNotTagged() throws Exception {
    // the app reads its config at every request, but the monitor never sees it: the slim
    // image lacks it and answers 500 where the original answered 200
    FakeHost host = new FakeHost().hideFromMonitor("/etc/app.conf");
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("verify: the slim image answered differently: GET :8080/: "), e.getMessage());
    assertEquals(List.of("fake app log"), e.containerLog(), "the slim container's log is shown");
    assertTrue(host.events.stream().anyMatch(x -> x.startsWith("removed image")), host.events.toString());
    assertNothingLeft(host, false);
  }

  @Test
  void aPageThatShowsItsStartTimeIsRunDependentAndTheBuildPasses() throws Exception {
    FakeHost host = new FakeHost().showsStartTime();
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(options());
    BuildReport.ProbeRecord root = report.probes().stream().filter(p -> p.probe().equals("GET :8080/")).findFirst()
        .orElseThrow();
    assertTrue(root.matches());
    assertTrue(root.runDependent(), "a second run of the original answered other bytes");
    assertEquals("shape", root.comparedOn());
    assertEquals(3, host.events.stream().filter(e -> e.startsWith("created")).count(),
        "original, slim, and the original again to confirm: " + host.events);
    assertTrue(summaries.stream().anyMatch(x -> x.contains("(1 run-dependent: compared on what two runs of the"
        + " original kept); 1 body difference checked against a second run of the original")), summaries.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void aFileReallyMissingOnAPageThatShowsItsStartTimeStillFails() throws Exception {
    FakeHost host = new FakeHost().showsStartTime().hideFromMonitor("/etc/motd");
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("verify: the slim image answered differently: GET :8080/: body differs beyond its numbers at byte 60"
        + " (92 bytes, the original's 71): original \"...arted 02:41</p><p>motd: Welcome</p>\", slim"
        + " \"...arted 02:42</p><p>motd: open /etc/motd: no such file</p>\"", e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void aSecondRunOfTheOriginalThatCannotBeMadeLeavesTheDifferenceAndSaysWhy() throws Exception {
    // the third container is the original's second run: the engine refuses to create it
    FakeHost host = new FakeHost().showsStartTime().failAt(FakeHost.Call.CREATE, 3);
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("verify: the slim image answered differently: GET :8080/: body differs from"
        + " byte "), e.getMessage());
    assertTrue(e.getMessage().contains("; a second run of the original, to tell whether that page differs from run to"
        + " run, failed: "), e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void chosenPathsAreComparedOnStatusAndTypeOnly() throws Exception {
    FakeHost host = new FakeHost().showsStartTime().hideFromMonitor("/etc/motd");
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent())
        .run(options().toBuilder().loosePaths(new io.minify.verify.LoosePaths(List.of("/"))).build());
    BuildReport.ProbeRecord root = report.probes().get(0);
    assertEquals("type", root.comparedOn(), "the user's choice: the missing motd is not looked at");
    assertEquals(2, host.events.stream().filter(e -> e.startsWith("created")).count(), "nothing to confirm");
    assertNothingLeft(host, true);
  }

  @Test
  void anExposedPortThatSpeaksAnotherProtocolIsLeftOutOfHttpProbing() throws Exception {
    FakeHost host = FakeHost.withProtocolPort();
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(options());
    assertEquals(List.of("7070 (answered \"ERR\\r\\n\" to an HTTP request)"), report.probing().otherPorts());
    assertTrue(report.probes().stream().noneMatch(p -> p.probe().contains(":7070")), report.probes().toString());
    assertTrue(summaries.stream().anyMatch(x -> x.contains("not HTTP, kept open and watched: port 7070")),
        summaries.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void noPortThatSpeaksHttpAndNothingElseToDriveTheAppIsBadInputNamingTheFlagsThatFit() throws Exception {
    FakeHost host = FakeHost.withOnlyProtocolPort();
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertEquals("probe: no exposed port speaks HTTP: 7070 (answered \"ERR\\r\\n\" to an HTTP request); drive the"
        + " app with --http-probe-off and --tcp-probe PORT[:SEND[:EXPECT]], --exec CMD or --host-exec CMD, or watch it"
        + " with --http-probe-off --continue-after timeout:SECONDS", e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void aSlimImageWhoseProtocolPortAcceptsNothingIsRefused() throws Exception {
    FakeHost host = FakeHost.withProtocolPort().slimClosesProtocolPort();
    ProbeSettings d = ProbeSettings.defaults();
    BuildOptions quick = options().toBuilder().probing(new ProbeSettings(true, List.of(), List.of(),
        java.time.Duration.ofSeconds(3), d.startWait(), d.retries(), d.retryWait(), d.requestTimeout(), null, null,
        List.of(), List.of(), List.of(), ContinueAfter.PROBE)).build();
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(quick));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("verify: the slim image does not work: port 7070 (answered \"ERR\\r\\n\" to an HTTP request) did not"
        + " accept connections within 3s; the original's did", e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void aPortTheUserNamesForHttpMustAnswerHttp() throws Exception {
    FakeHost host = FakeHost.withProtocolPort();
    ProbeSettings d = ProbeSettings.defaults();
    BuildOptions named = options().toBuilder().probing(new ProbeSettings(true, List.of(), List.of(FakeHost.APP_PORT,
        FakeHost.PROTOCOL_PORT), java.time.Duration.ofSeconds(3), d.startWait(), d.retries(), d.retryWait(),
        d.requestTimeout(), null, null, List.of(), List.of(), List.of(), ContinueAfter.PROBE)).build();
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(named));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("probe: port 7070 never answered HTTP within 3s"), e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void anAppThatExitsBeforeItsPidIsPinnedIsNeverWatched() throws Exception {
    // its pid may belong to another job's process by now: nothing of that process is marked
    FakeHost host = new FakeHost().appExitsWhilePinned();
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("start gated: the container stopped before the monitor could be armed (exit code 143)",
        e.getMessage());
    assertFalse(host.events.contains("monitor armed"), host.events.toString());
    assertNothingLeft(host, false);
  }

  @Test
  void aHeapTooSmallForTheImageIsOneLineThatSaysHowToRaiseIt() throws Exception {
    FakeHost host = new FakeHost().onFirstProbe(() -> {
      throw new OutOfMemoryError("Java heap space");
    });
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.ENVIRONMENT, e.kind());
    assertTrue(e.getMessage().matches("probe: out of memory: this image needs more than the JVM's \\d+ MiB heap;"
        + " raise it with MINIFY_JAVA_OPTS=-Xmx\\d+m"), e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void aJobThatFinishesWithZeroIsMinifiedAndItsSlimRunMustFinishWithZeroToo() throws Exception {
    BuildReport report = new BuildPipeline(new FakeHost().runsAsJob(0, 0).services(), BuildListener.silent())
        .run(watchedOnly());
    assertEquals(SLIM, report.slimImage());

    FakeHost host = new FakeHost().runsAsJob(0, 3);
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(watchedOnly()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("verify: the slim image does not work: the app exited with code 3 where the original exited with 0",
        e.getMessage());
    assertNothingLeft(host, false);
  }

  /** No probe: the app is only watched, for up to 30 s. */
  private BuildOptions watchedOnly() {
    ProbeSettings d = ProbeSettings.defaults();
    return options().toBuilder().probing(new ProbeSettings(false, List.of(), List.of(), d.startTimeout(), d.startWait(),
        d.retries(), d.retryWait(), d.requestTimeout(), null, null, List.of(), List.of(), List.of(),
        ContinueAfter.parse("timeout:30"))).build();
  }

  @Test
  void anImageTheEngineDoesNotHaveIsBadInputAndNothingStarts() throws Exception {
    FakeHost host = new FakeHost();
    BuildException e = assertThrows(BuildException.class, () -> new BuildPipeline(host.services(),
        BuildListener.silent()).run(BuildOptions.defaults("nope:1").toBuilder().workRoot(tmp.resolve("work")).build()));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertEquals("inspect: image 'nope:1' is not in the local engine (minify never pulls: build or load it first)",
        e.getMessage());
    assertEquals(List.of(), host.events);
    assertFalse(Files.exists(tmp.resolve("work")), "not even the work root is created");
  }

  @Test
  void aFailedBuildWritesAReportThatNamesTheStageAndWhatWasCleaned() throws Exception {
    FakeHost host = new FakeHost().hideFromMonitor("/etc/app.conf");
    Path file = tmp.resolve("report.json");
    assertThrows(BuildException.class, () -> new BuildPipeline(host.services(), BuildListener.silent())
        .run(options().toBuilder().reportFile(file).build()));
    JsonNode report = new ObjectMapper().readTree(file.toFile());
    assertTrue(report.get("failed").asBoolean());
    assertEquals("verify", report.get("stage").asText());
    assertEquals("build_failed", report.get("kind").asText());
    assertEquals(1, report.get("exitCode").asInt());
    assertTrue(report.get("message").asText().startsWith("verify: the slim image answered differently"));
    assertEquals(List.of("inspect", "start gated", "probe", "stop", "select", "package"),
        report.findValuesAsText("stage").subList(1, 7), "the stages that finished: " + report.get("stages"));
    List<String> cleaned = new ArrayList<>();
    report.get("cleaned").forEach(n -> cleaned.add(n.asText()));
    assertTrue(cleaned.containsAll(List.of("slim container", "unverified slim image", "work directory")), cleaned.toString());
  }

  @Test
  void anArchiveTheEngineRefusesIsABuildFailureWithTheEnginesWords() throws Exception {
    FakeHost host = new FakeHost().refuseLoads();
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(options()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("package: the engine refused the slim image: Error processing tar file(exit status 1): invalid"
        + " argument", e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void withoutLoadingTheArchiveIsWrittenAndTheEngineKeepsNothing() throws Exception {
    FakeHost host = new FakeHost();
    Path archive = tmp.resolve("slim.tar");
    new BuildPipeline(host.services(), BuildListener.silent())
        .run(options().toBuilder().output(new OutputTargets(false, archive, null)).build());
    new DockerArchiveValidator().requireValid(archive);
    assertNothingLeft(host, false);
    try (Stream<Path> beside = Files.list(tmp)) {
      assertEquals(List.of(), beside.filter(p -> p.getFileName().toString().endsWith(".partial")).toList());
    }
  }
  @Test
  void bothArtifactsAreValidAndOfTheSameImage() throws Exception {
    FakeHost host = new FakeHost();
    Path archive = tmp.resolve("slim.tar");
    Path layout = tmp.resolve("slim-oci");
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent())
        .run(options().toBuilder().output(new OutputTargets(true, archive, layout)).build());
    new DockerArchiveValidator().requireValid(archive);
    new OciLayoutValidator().requireValid(layout);
    JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
    JsonNode manifest = new ObjectMapper().readTree(layout.resolve("blobs/sha256").resolve(
        index.get("manifests").get(0).get("digest").asText().substring("sha256:".length())).toFile());
    assertEquals(report.slimImageId().toString(), manifest.get("config").get("digest").asText(),
        "the layout's config is the archive's: one image id");
  }


  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(FakeHost.Call.SAVE, 1),      // the background reader fails
        Arguments.of(FakeHost.Call.CREATE, 1),    // the original container
        Arguments.of(FakeHost.Call.START, 1),
        Arguments.of(FakeHost.Call.STOP, 1),
        Arguments.of(FakeHost.Call.CHANGES, 1),   // what the run wrote, asked while stopping
        Arguments.of(FakeHost.Call.LOAD, 1),
        Arguments.of(FakeHost.Call.CREATE, 2),    // the slim container
        Arguments.of(FakeHost.Call.START, 2),
        Arguments.of(FakeHost.Call.TAG, 1));      // the slim tag (the run tag comes with the load)
  }

  @ParameterizedTest(name = "{0} #{1}")
  @MethodSource("faults")
  void anEngineFaultAtAnyStageLeavesNothingBehind(FakeHost.Call call, int occurrence) throws Exception {
    FakeHost host = new FakeHost().failAt(call, occurrence);
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    Exception e = assertThrows(Exception.class, () -> pipeline.run(options()));
    assertTrue(e instanceof BuildException || e instanceof EngineException, e.toString());
    assertTrue(String.valueOf(e.getMessage()).contains("injected fault: " + call), e.getMessage());
    assertEquals(List.of(), pipeline.cleanupFailures());
    assertNothingLeft(host, false);
  }

  @Test
  void anAbortWhileTheAppIsProbedUndoesEverything() throws Exception {
    FakeHost host = new FakeHost();
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    host.onFirstProbe(pipeline::abort);
    BuildException e = assertThrows(BuildException.class, () -> pipeline.run(options()));
    assertEquals(FailureKind.INTERRUPTED, e.kind());
    assertEquals("interrupted during probe", e.getMessage(), "not the false cause the abort led to");
    assertNothingLeft(host, false);
  }

  @Test
  void aBuildEndedBySigtermReportsItsOwnKindAndExitCodeAfterTheCleanup() throws Exception {
    // the report said 130 for a SIGTERM, and a stop cut short wrote none (issue 16, case 3)
    FakeHost host = new FakeHost();
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    host.onFirstProbe(() -> pipeline.abort(FailureKind.TERMINATED));
    Path file = tmp.resolve("terminated.json");
    BuildException e = assertThrows(BuildException.class,
        () -> pipeline.run(options().toBuilder().reportFile(file).build()));
    assertEquals(FailureKind.TERMINATED, e.kind());
    assertEquals(143, e.kind().exitCode());
    JsonNode report = new ObjectMapper().readTree(file.toFile());
    assertEquals("terminated", report.get("kind").asText());
    assertEquals(143, report.get("exitCode").asInt());
    assertEquals("interrupted during probe", report.get("message").asText());
    List<String> cleaned = new ArrayList<>();
    report.get("cleaned").forEach(n -> cleaned.add(n.asText()));
    assertTrue(cleaned.containsAll(List.of("original container", "work directory")), cleaned.toString());
    assertNothingLeft(host, false);
    assertThrows(IllegalArgumentException.class, () -> pipeline.abort(FailureKind.BAD_INPUT));
  }

  @Test
  void aFailingBuildNeverRemovesTheSameImageThatAnotherBuildHolds() throws Exception {
    // two builds of one image make one slim image id; while this one verifies, another build
    // (or the user) tags that image too. This one then fails: it must take back only its own tag
    FakeHost host = new FakeHost();
    host.onSlimStart(id -> {
      host.engine.images().tagImage(id, "minify-run", "0ther");
      throw new io.minify.engine.EngineException("injected fault: the slim container does not start");
    });
    assertThrows(BuildException.class, () -> new BuildPipeline(host.services(), BuildListener.silent())
        .run(options()));
    assertEquals(List.of(FakeHost.ORIGINAL, "minify-run:0ther"), List.copyOf(host.engine.tags().keySet()),
        "the other build's image is still there, and only its tag is on it");
    assertEquals(2, host.engine.imageIds().size());
  }

  @Test
  void anEngineThatCannotListTheRunsChangesLeavesWhatTheMonitorSawAndAWarning() throws Exception {
    // a valid image the engine's docker diff cannot walk is no fault of the host's (issue 16, case 5)
    FakeHost host = new FakeHost().refuseChanges();
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(options());
    assertTrue(report.slimImageId().toString().startsWith("sha256:"), report.slimImageId().toString());
    assertTrue(summaries.stream().anyMatch(s -> s.contains("; warning: the engine cannot list what the run changed"
        + " (lstat /var/lib/docker/overlay2/0123/merged/deep/x: file name too long): what the app wrote is what the"
        + " monitor saw")), summaries.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void aCleanupThatFailsIsReportedNotHidden() throws Exception {
    // removing the original container fails: the build goes on, and says what it left behind
    FakeHost host = new FakeHost().failAt(FakeHost.Call.REMOVE_CONTAINER, 1);
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    pipeline.run(options());
    assertEquals(List.of("original container: injected fault: REMOVE_CONTAINER #1"), pipeline.cleanupFailures());
    assertEquals(1, host.engine.containerIds().size(), "the one container that could not be removed");
  }

  @Test
  void onTheContainerdImageStoreTheSameSlimImageIsMadeAndNothingIsLeft() throws Exception {
    // there the engine names an image by its manifest digest, not by its config digest: the
    // build names the loaded image by its run tag, and its content id stays the config digest
    FakeHost classicHost = new FakeHost(false);
    BuildReport classic = new BuildPipeline(classicHost.services(), BuildListener.silent()).run(options());
    FakeHost containerdHost = new FakeHost(true);
    BuildReport containerd = new BuildPipeline(containerdHost.services(), BuildListener.silent()).run(options());

    assertEquals(classic.slimImageId(), containerd.slimImageId(), "the same content id on both stores");
    assertNotEquals(containerd.slimImageId().toString(), containerdHost.engine.tags().get(SLIM),
        "the store's own id of the slim image is not its content id");
    assertEquals(classicHost.engine.filesOf(SLIM).keySet(), containerdHost.engine.filesOf(SLIM).keySet());
    assertNothingLeft(containerdHost, true);
  }

  @Test
  void stripElfWritesKeptProgramsStrippedAndReportsTheBytesSaved() throws Exception {
    byte[] program;
    try (var in = PipelineTest.class.getResourceAsStream("/elf/hello")) {
      program = in.readAllBytes();
    }
    FakeHost host = FakeHost.withApp(program);
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(options().toBuilder().stripElf(true).build());
    byte[] slimApp = host.engine.filesOf(SLIM).get(UnixPath.of("/bin/app"));
    ElfStripPlan plan = ElfStripPlan.of(new SeekableInMemoryByteChannel(program)).orElseThrow();
    assertEquals(plan.outputSize(), slimApp.length);
    assertEquals(new BuildReport.ElfStripping(true, 1, plan.savedBytes()), report.strippedElf());
    assertTrue(summaries.stream().anyMatch(s -> s.endsWith(", 1 ELF file stripped (" + ByteSize.format(plan.savedBytes()) + " saved)")), summaries.toString());
    assertEquals(Optional.empty(), ElfStripPlan.of(new SeekableInMemoryByteChannel(slimApp)), "nothing left to strip");

    FakeHost unstripped = FakeHost.withApp(program);
    BuildReport off = new BuildPipeline(unstripped.services(), BuildListener.silent()).run(options());
    assertArrayEquals(program, unstripped.engine.filesOf(SLIM).get(UnixPath.of("/bin/app")), "off by default");
    assertEquals(BuildReport.ElfStripping.OFF, off.strippedElf());
  }

  @Test
  void theSameInputGivesTheSameReportBytes() throws Exception {
    String first = reportWithoutTimings(new FakeHost(), "first");
    String second = reportWithoutTimings(new FakeHost(), "second");
    assertEquals(first, second);
  }

  @Test
  void theReportWrittenAsItIsSerialisedIsTheReportAsOneString() throws Exception {
    BuildReport report = new BuildPipeline(new FakeHost().services(), BuildListener.silent()).run(options());
    StringWriter streamed = new StringWriter();
    new ReportJson().write(report, streamed);
    assertEquals(new ReportJson().toJson(report), streamed.toString());
  }

  private String reportWithoutTimings(FakeHost host, String run) throws Exception {
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent())
        .run(options().toBuilder().workRoot(tmp.resolve(run)).build());
    // timings are the only part that may differ; the work root is in no report field
    return new ReportJson().toJson(report).replaceAll("\"(\\w*[mM]illis)\" ?: ?\\d+", "\"$1\":0");
  }

  private void assertNothingLeft(FakeHost host, boolean tagged) throws Exception {
    assertEquals(List.of(), host.engine.containerIds(), "containers left");
    assertEquals(List.of(), host.leakedSensors());
    assertEquals(tagged ? 2 : 1, host.engine.imageIds().size(), "images: " + host.engine.imageIds());
    assertEquals(tagged ? List.of(SLIM, FakeHost.ORIGINAL) : List.of(FakeHost.ORIGINAL),
        List.copyOf(host.engine.tags().keySet()));
    Path work = tmp.resolve("work");
    if (Files.exists(work)) {
      try (Stream<Path> left = Files.list(work)) {
        assertEquals(List.of(), left.toList(), "work root");
      }
    }
  }
}
