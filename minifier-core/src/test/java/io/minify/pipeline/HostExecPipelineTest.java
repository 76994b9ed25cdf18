package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.path.UnixPath;
import io.minify.report.BuildReport;
import io.minify.run.ContinueAfter;
import io.minify.run.HostExecCommand;
import io.minify.run.ProbeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --host-exec} through the whole pipeline against {@link FakeHost}, whose "test suites"
 * ({@link FakeSuites}) request pages of the fake app: what a suite makes the app open is kept,
 * the suite runs again against the slim container's own port, a different exit code is
 * confirmed by a rerun before it fails the build, and an abort ends the suite with the build.
 */
class HostExecPipelineTest {
  private static final String SLIM = "fake/app.slim:1";

  @TempDir
  Path tmp;

  /** HTTP probing off: the suites alone drive the app. */
  private BuildOptions suites(String... commands) {
    ProbeSettings d = ProbeSettings.defaults();
    return BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work"))
        .probing(new ProbeSettings(false, List.of(), List.of(), d.startTimeout(), d.startWait(), d.retries(),
            d.retryWait(), d.requestTimeout(), null, null, List.of(), List.of(), List.of(),
            ContinueAfter.parse("host-exec"))
            .withHostExecs(Stream.of(commands).map(HostExecCommand::parse).toList(), Duration.ofMinutes(1)))
        .build();
  }

  @Test
  void whatTheSuiteMakesTheAppOpenIsKeptAndTheSuitePassesOnTheSlimImage() throws Exception {
    FakeHost host = new FakeHost();
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(suites("/about.html"));

    BuildReport.ProbeRecord suite = report.probes().get(0);
    assertEquals(1, report.probes().size(), report.probes().toString());
    assertEquals("HOST-EXEC /about.html", suite.probe());
    assertEquals("host-exec", suite.kind());
    assertEquals("host-exec", suite.source());
    assertEquals(0, suite.originalStatus());
    assertEquals(0, suite.slimStatus());
    assertTrue(suite.matches());
    assertEquals("observed", report.kept().stream().filter(k -> k.path().equals("/srv/www/about.html")).findFirst()
        .orElseThrow().reason(), "the suite's request made the app open it");
    assertTrue(host.engine.filesOf(SLIM).containsKey(UnixPath.of("/srv/www/about.html")));

    assertEquals(2, host.suites.runs.size(), host.suites.runs.toString());
    String original = host.suites.runs.get(0);
    String slim = host.suites.runs.get(1);
    assertTrue(original.endsWith(" /about.html:200 exit 0") && slim.endsWith(" /about.html:200 exit 0"),
        host.suites.runs.toString());
    assertNotEquals(original.split(" ")[0], slim.split(" ")[0], "each run is told its own container's port");
    assertTrue(summaries.stream().anyMatch(s -> s.contains("1 probe(s) answered; host-exec exit code(s) 0,"
        + " continued after host-exec")), summaries.toString());
    assertTrue(summaries.stream().anyMatch(s -> s.startsWith("1/1 probes match; tagged")), summaries.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void withoutTheSuiteThePageItNeedsIsNotKept() throws Exception {
    FakeHost host = new FakeHost();
    ProbeSettings d = ProbeSettings.defaults();
    BuildOptions watchedOnly = BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work"))
        .probing(new ProbeSettings(false, List.of(), List.of(), d.startTimeout(), d.startWait(), d.retries(),
            d.retryWait(), d.requestTimeout(), null, null, List.of(), List.of(), List.of(),
            ContinueAfter.parse("timeout:1")))
        .build();
    new BuildPipeline(host.services(), BuildListener.silent()).run(watchedOnly);
    assertFalse(host.engine.filesOf(SLIM).containsKey(UnixPath.of("/srv/www/about.html")),
        "nothing drove the app to it");
    assertEquals(List.of(), host.suites.runs);
  }

  @Test
  void aSuiteThatFailsOnTheSlimImageTwiceFailsTheBuildNamingBothCodesAndItsOutput() throws Exception {
    // the app reads the page, but the monitor never sees it: the slim image lacks it
    FakeHost host = new FakeHost().hideFromMonitor("/srv/www/about.html");
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(suites("/about.html")));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("verify: the slim image answered differently: HOST-EXEC /about.html: exit code 1 on the slim image,"
        + " 0 on the original (the same on a rerun, so not a flaky test); its output ended: /about.html:404",
        e.getMessage());
    assertEquals(3, host.suites.runs.size(), "the original, the slim image, the rerun: " + host.suites.runs);
    assertNothingLeft(host, false);
  }

  @Test
  void aFlakySuiteThatPassesOnTheRerunPassesTheBuildAndIsNamed() throws Exception {
    FakeHost host = new FakeHost();
    host.suites.force(0, 1, 0);
    List<String> summaries = new ArrayList<>();
    BuildReport report = new BuildPipeline(host.services(), (stage, elapsed, summary) -> summaries.add(summary))
        .run(suites("/about.html"));
    assertTrue(report.probes().get(0).matches());
    assertTrue(summaries.stream().anyMatch(s -> s.contains("1/1 probes match; host-exec '/about.html' matched on a"
        + " rerun (its first run on the slim image ended with exit code 1: a flaky test?)")), summaries.toString());
    assertNothingLeft(host, true);
  }

  @Test
  void commandNotFoundOnTheOriginalIsBadInputAndNothingIsLeft() throws Exception {
    FakeHost host = new FakeHost();
    host.suites.force(127);
    BuildException e = assertThrows(BuildException.class,
        () -> new BuildPipeline(host.services(), BuildListener.silent()).run(suites("/about.html")));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().startsWith("probe: --host-exec '/about.html' exited with 127 on the original image:"
        + " the shell found no such command"), e.getMessage());
    assertNothingLeft(host, false);
  }

  @Test
  void anAbortWhileTheSuiteRunsStopsItAndUndoesEverything() throws Exception {
    FakeHost host = new FakeHost();
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    host.suites.onRun(pipeline::abort);
    BuildException e = assertThrows(BuildException.class, () -> pipeline.run(suites("/about.html")));
    assertEquals(FailureKind.INTERRUPTED, e.kind());
    assertEquals("interrupted during probe", e.getMessage());
    assertEquals(1, host.suites.stopped, "the running suite was told to stop");
    assertNothingLeft(host, false);
  }

  @Test
  void aBuildWithoutHostExecsNeverTouchesTheHostsShell() throws Exception {
    FakeHost host = new FakeHost();
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    pipeline.run(BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work")).build());
    assertEquals(List.of(), host.suites.runs);
    assertEquals(0, host.suites.stopped);
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
