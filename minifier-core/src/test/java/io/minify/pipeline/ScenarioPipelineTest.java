package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerSpec;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.path.UnixPath;
import io.minify.report.BuildReport;
import io.minify.sensor.syscall.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build of two scenarios against {@link FakeHost}: the app of scenario "web" also reads the
 * manual, the one of "worker" the message of the day (their env says so), so each run uses a
 * file the other does not. Both are kept, each said to be for its scenario, and each scenario is
 * verified in its own slim container.
 */
class ScenarioPipelineTest {
  private static final String SLIM = "fake/app.slim:1";
  private static final UnixPath MANUAL = UnixPath.of("/usr/share/doc/manual.txt");
  private static final UnixPath MOTD = UnixPath.of("/etc/motd");

  @TempDir
  Path tmp;

  private BuildOptions twoScenarios() {
    Scenario web = new Scenario("web", null, null, Map.of(FakeHost.READS, MANUAL.toString()), null, null, null, null,
        null, null, null);
    Scenario worker = new Scenario("worker", null, null, Map.of(FakeHost.READS, MOTD.toString()), null, null, null,
        null, null, null, null);
    return BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work"))
        .reportFile(tmp.resolve("report.json")).scenarios(List.of(web, worker)).build();
  }

  @Test
  void eachScenarioIsWatchedAndVerifiedInItsOwnContainerAndWhatEachNeededIsKeptForIt() throws Exception {
    FakeHost host = new FakeHost();
    List<String> lines = new ArrayList<>();
    BuildListener listener = new BuildListener() {
      @Override
      public void stageFinished(Stage stage, java.time.Duration elapsed, String summary) {
        lines.add(stage.label() + ": " + summary);
      }

      @Override
      public void scenarioStageFinished(Stage stage, String scenario, java.time.Duration elapsed, String summary) {
        lines.add(stage.label() + " (" + scenario + "): " + summary);
      }
    };
    BuildReport report = new BuildPipeline(host.services(), listener).run(twoScenarios());

    assertEquals(List.of("inspect", "start gated (web)", "probe (web)", "stop (web)", "start gated (worker)",
        "probe (worker)", "stop (worker)", "select", "package", "verify (web)", "verify (worker)", "report"),
        lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList());
    assertEquals(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList(),
        report.stages().stream().map(BuildReport.StageTiming::stage).toList(), "the report's timings name them too");
    assertTrue(lines.get(10).endsWith("; all 2 scenarios pass; tagged " + SLIM), lines.get(10));
    assertTrue(lines.get(9).matches("verify \\(web\\): \\d+/\\d+ probes match"), lines.get(9));

    List<String> containers = host.events.stream().filter(e -> e.startsWith("created")).toList();
    assertEquals(List.of("created original container", "created original container", "created slim container",
        "created slim container"), containers, "one watched run and one slim run per scenario: " + host.events);
    List<ContainerSpec> specs = host.engine.createdSpecs;
    assertEquals(List.of(true, false, true, false), specs.stream()
        .map(spec -> spec.env().contains(FakeHost.READS + "=" + MANUAL)).toList(), "each run has its scenario's env");
    assertEquals(List.of("tagged " + SLIM), host.events.stream().filter(e -> e.startsWith("tagged")).toList(),
        "tagged once, after both verified");

    Map<UnixPath, byte[]> slim = host.engine.filesOf(SLIM);
    assertTrue(slim.containsKey(MANUAL), "web's file is kept");
    assertTrue(slim.containsKey(MOTD), "worker's file is kept");

    assertEquals(List.of("web"), kept(report, MANUAL).scenarios());
    assertEquals(List.of("worker"), kept(report, MOTD).scenarios());
    assertEquals(List.of("web", "worker"), kept(report, UnixPath.of("/etc/app.conf")).scenarios());

    assertEquals(List.of("web", "worker"), report.scenarios().stream().map(BuildReport.ScenarioRecord::name).toList());
    // web alone needed the manual and its directories /usr, /usr/share, /usr/share/doc; worker the motd
    assertEquals(List.of(4L, 1L), report.scenarios().stream().map(BuildReport.ScenarioRecord::keptOnlyThis).toList());
    for (BuildReport.ScenarioRecord s : report.scenarios()) {
      assertTrue(s.keptNeeded() > 1, s.toString());
      assertFalse(s.probes().isEmpty());
      assertEquals(s.probes().size(), s.probesMatching());
      assertEquals(Map.of(FakeHost.READS, s.name().equals("web") ? MANUAL.toString() : MOTD.toString()),
          s.settings().env());
    }
    assertEquals(report.scenarios().stream().mapToInt(s -> s.probes().size()).sum(), report.probes().size(),
        "the build's probes are every scenario's");

    JsonNode json = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
    assertEquals("worker", json.get("scenarios").get(1).get("name").asText());
    assertFalse(json.get("scenarios").get(1).get("settings").has("cmd"), "only what the scenario set");
    JsonNode motd = null;
    for (JsonNode k : json.get("kept")) {
      if (k.get("path").asText().equals(MOTD.toString())) {
        motd = k;
      }
    }
    assertEquals("[\"worker\"]", String.valueOf(motd.get("scenarios")));
    assertNothingLeft(host, true);
  }

  @Test
  void withASeccompProfileEveryScenariosSlimRunIsConfinedByTheOneProfileWrittenOnce() throws Exception {
    assumeTrue(Architecture.host().equals(Optional.of(Architecture.X86_64)), "the fake tracer's numbers are x86_64's");
    FakeHost host = new FakeHost();
    Path profile = tmp.resolve("profile.json");
    BuildOptions options = twoScenarios().toBuilder()
        .output(OutputTargets.defaults().withSeccompProfile(profile)).build();
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent()).run(options);

    String json = Files.readString(profile);
    List<ContainerSpec> specs = host.engine.createdSpecs;
    assertEquals(4, specs.size(), "two watched runs, two slim runs");
    assertEquals(List.of(List.of(), List.of()), List.of(specs.get(0).securityOptions(), specs.get(1).securityOptions()),
        "the watched originals run as the engine runs them");
    assertEquals(List.of(List.of("seccomp=" + json), List.of("seccomp=" + json)),
        List.of(specs.get(2).securityOptions(), specs.get(3).securityOptions()), "both slim runs under the one profile");
    assertEquals(profile.toString(), report.seccomp().profile());
    assertTrue(report.seccomp().verifiedUnder());
  }

  @Test
  void eachScenarioProbesWithItsOwnPlanItsProbesOrNoHttpAtAll() throws Exception {
    // a batch job (HTTP probing off, it runs until the wait ends) beside a web run with probes of its own
    Scenario job = new Scenario("job", null, null, Map.of(FakeHost.READS, MOTD.toString()), null, null, false, null,
        null, io.minify.run.ContinueAfter.parse("timeout:1"), null);
    Scenario web = new Scenario("web", null, null, Map.of(FakeHost.READS, MANUAL.toString()), null, null, null,
        List.of(io.minify.probe.PlannedProbe.of(io.minify.probe.ProbeCommandParser.parse("GET:/health"),
            io.minify.probe.ProbeSource.CMD)), null, null, null);
    FakeHost host = new FakeHost();
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent()).run(twoScenarios().toBuilder()
        .scenarios(List.of(job, web)).build());

    BuildReport.ScenarioRecord jobRun = report.scenarios().get(0);
    BuildReport.ScenarioRecord webRun = report.scenarios().get(1);
    assertEquals(List.of(), jobRun.probes(), "no HTTP request for the job: " + jobRun);
    assertTrue(webRun.probes().stream().anyMatch(p -> p.probe().contains("/health")), webRun.toString());
  }

  @Test
  void aBuildOfOneScenarioLosesWhatTheOtherNeeded() throws Exception {
    // the merge matters: the web scenario alone keeps no message of the day
    FakeHost host = new FakeHost();
    BuildOptions webOnly = twoScenarios().toBuilder().scenarios(List.of(twoScenarios().scenarios().get(0))).build();
    BuildReport report = new BuildPipeline(host.services(), BuildListener.silent()).run(webOnly);
    assertFalse(host.engine.filesOf(SLIM).containsKey(MOTD));
    assertEquals(List.of("web"), report.scenarios().stream().map(BuildReport.ScenarioRecord::name).toList());
  }

  @Test
  void aScenarioWhoseSlimRunFailsFailsTheBuildNamingItAndNothingIsTagged() throws Exception {
    // the worker reads the message of the day, but its monitor never sees it: its slim run answers 500
    FakeHost host = new FakeHost().hideFromMonitor(MOTD.toString());
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    BuildException e = assertThrows(BuildException.class, () -> pipeline.run(twoScenarios()));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("verify (worker): the slim image answered differently: GET :8080/: "),
        e.getMessage());
    assertEquals(2, host.events.stream().filter(x -> x.equals("created slim container")).count(),
        "web was verified first and passed: " + host.events);
    JsonNode failure = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
    assertEquals("verify", failure.get("stage").asText());
    assertTrue(failure.get("message").asText().startsWith("verify (worker): "), failure.toString());
    assertEquals(List.of(), pipeline.cleanupFailures());
    assertNothingLeft(host, false);
  }

  @Test
  void anEngineFaultInTheSecondScenariosRunLeavesNothingBehind() throws Exception {
    // the second start is the worker's watched run, the fourth its slim run (the third is web's)
    for (int occurrence : List.of(2, 4)) {
      FakeHost host = new FakeHost().failAt(FakeHost.Call.START, occurrence);
      BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
      BuildException e = assertThrows(BuildException.class, () -> pipeline.run(twoScenarios()));
      assertTrue(e.getMessage().contains("(worker): "), e.getMessage());
      assertEquals(List.of(), pipeline.cleanupFailures());
      assertNothingLeft(host, false);
    }
  }

  @Test
  void anAbortWhileTheSecondScenarioIsProbedUndoesEverything() throws Exception {
    FakeHost host = new FakeHost();
    BuildPipeline[] pipeline = new BuildPipeline[1];
    pipeline[0] = new BuildPipeline(host.services(), new BuildListener() {
      @Override
      public void stageFinished(Stage stage, java.time.Duration elapsed, String summary) {}

      @Override
      public void scenarioStageFinished(Stage stage, String scenario, java.time.Duration elapsed, String summary) {
        if (stage == Stage.START && scenario.equals("worker")) {
          host.onFirstProbe(pipeline[0]::abort); // web's run is over: the worker's first request aborts
        }
      }
    });
    BuildException e = assertThrows(BuildException.class, () -> pipeline[0].run(twoScenarios()));
    assertEquals(FailureKind.INTERRUPTED, e.kind());
    assertEquals("interrupted during probe", e.getMessage());
    assertEquals(2, host.events.stream().filter(x -> x.equals("created original container")).count());
    assertNothingLeft(host, false);
  }

  private static BuildReport.KeptPath kept(BuildReport report, UnixPath path) {
    return report.kept().stream().filter(k -> k.path().equals(path.toString())).findFirst().orElseThrow();
  }

  private void assertNothingLeft(FakeHost host, boolean tagged) throws Exception {
    assertEquals(List.of(), host.engine.containerIds(), "containers left");
    assertEquals(List.of(), host.leakedSensors());
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
