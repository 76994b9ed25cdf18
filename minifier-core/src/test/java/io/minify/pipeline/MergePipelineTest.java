package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.ImageReference;
import io.minify.path.UnixPath;
import io.minify.report.BuildReport;
import io.minify.report.EarlierReport;
import io.minify.run.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minify merge} against {@link FakeHost}: two earlier builds of one image whose apps read
 * different files (their env says which: the manual, the message of the day), each with its own
 * report. Their merge keeps both files, verifies each report's run in its own slim container
 * against what that run recorded, and tags once both passed; nothing of the original runs again.
 */
class MergePipelineTest {
  private static final UnixPath MANUAL = UnixPath.of("/usr/share/doc/manual.txt");
  private static final UnixPath MOTD = UnixPath.of("/etc/motd");
  private static final String MERGED = "fake/app.merged:1";

  @TempDir
  Path tmp;

  /** One build whose app reads {@code reads}, tagged {@code tag}, its report at {@code report}. */
  private BuildReport build(FakeHost host, UnixPath reads, String tag, String report) throws BuildException {
    BuildOptions options = BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work"))
        .slimTag(ImageReference.parse(tag)).reportFile(tmp.resolve(report))
        .run(new RunSettings(List.of(FakeHost.READS + "=" + reads), List.of(), null, null, null, null, null,
            List.of(), Map.of()))
        .build();
    return new BuildPipeline(host.services(), BuildListener.silent()).run(options);
  }

  private BuildOptions mergeOptions(String imageId) {
    return BuildOptions.defaults(imageId).toBuilder().workRoot(tmp.resolve("work"))
        .slimTag(ImageReference.parse(MERGED)).reportFile(tmp.resolve("merged.json")).build();
  }

  private List<EarlierReport> reports(String... names) {
    List<EarlierReport> reports = new ArrayList<>();
    for (String name : names) {
      reports.add(EarlierReport.read(tmp.resolve(name), name));
    }
    return reports;
  }

  @Test
  void theMergeKeepsWhatEachBuildNeededAndVerifiesEachReportsRunOnIt() throws Exception {
    FakeHost host = new FakeHost();
    BuildReport web = build(host, MANUAL, "fake/app.web:1", "r1.json");
    build(host, MOTD, "fake/app.worker:1", "r2.json");
    // each build alone lacks what the other's app reads: the merge is what makes one image serve both
    assertTrue(host.engine.filesOf("fake/app.web:1").containsKey(MANUAL));
    assertFalse(host.engine.filesOf("fake/app.web:1").containsKey(MOTD));
    assertFalse(host.engine.filesOf("fake/app.worker:1").containsKey(MANUAL));
    long originalRuns = count(host, "created original container");
    host.events.clear();

    List<String> lines = new ArrayList<>();
    BuildReport merged = new BuildPipeline(host.services(), listener(lines))
        .merge(mergeOptions(web.imageId().toString()), reports("r1.json", "r2.json"));

    assertEquals(List.of("inspect", "recall (r1.json)", "recall (r2.json)", "select", "package",
        "verify (r1.json)", "verify (r2.json)", "report"),
        lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList());
    assertTrue(lines.get(6).endsWith("; all 2 scenarios pass; tagged " + MERGED), lines.get(6));
    assertTrue(lines.get(0).endsWith(" recorded probe(s) of 2 run(s) to replay"), lines.get(0));
    assertTrue(lines.get(1).matches("recall \\(r1.json\\): \\d+ probe\\(s\\) recorded, \\d+ files and \\d+ dirs"
        + " opened, \\d+ paths kept"), lines.get(1));
    assertEquals(2L, originalRuns);
    assertEquals(0L, count(host, "created original container"), "the original does not run again: " + host.events);
    assertEquals(2L, count(host, "created slim container"), "one slim run per report: " + host.events);
    assertEquals(List.of(true, false), host.engine.createdSpecs.subList(host.engine.createdSpecs.size() - 2,
        host.engine.createdSpecs.size()).stream().map(s -> s.env().contains(FakeHost.READS + "=" + MANUAL)).toList(),
        "each slim run has its report's env");

    Map<UnixPath, byte[]> slim = host.engine.filesOf(MERGED);
    assertTrue(slim.containsKey(MANUAL), "r1's file is kept");
    assertTrue(slim.containsKey(MOTD), "r2's file is kept");
    assertEquals(List.of("r1.json"), kept(merged, MANUAL).scenarios());
    assertEquals(List.of("r2.json"), kept(merged, MOTD).scenarios());
    assertEquals(List.of("r1.json", "r2.json"), kept(merged, UnixPath.of("/etc/app.conf")).scenarios());
    assertEquals(List.of("r1.json", "r2.json"), merged.mergedFrom());
    assertEquals(List.of("r1.json", "r2.json"), merged.scenarios().stream().map(BuildReport.ScenarioRecord::name)
        .toList());
    for (BuildReport.ScenarioRecord s : merged.scenarios()) {
      assertFalse(s.probes().isEmpty());
      assertEquals(s.probes().size(), s.probesMatching(), s.name());
    }
    assertEquals(web.imageId(), merged.imageId());

    // the merge's own report is one a later merge reads again
    EarlierReport again = EarlierReport.read(tmp.resolve("merged.json"), "merged.json");
    assertEquals(List.of("r1.json", "r2.json"), again.runs().stream().map(r -> r.name()).toList());
    assertNothingLeft(host, List.of(MERGED, "fake/app.web:1", "fake/app.worker:1", FakeHost.ORIGINAL));
  }

  @Test
  void aRunThatFailsOnTheMergedImageFailsTheMergeNamingItsReportAndNothingIsTagged() throws Exception {
    FakeHost host = new FakeHost();
    BuildReport web = build(host, MANUAL, "fake/app.web:1", "r1.json");
    build(host, MOTD, "fake/app.worker:1", "r2.json");
    // r2 as if its run had never shown the message of the day: its app still reads it, the merge lacks it
    forget(tmp.resolve("r2.json"), MOTD);
    BuildPipeline pipeline = new BuildPipeline(host.services(), BuildListener.silent());
    BuildException e = assertThrows(BuildException.class,
        () -> pipeline.merge(mergeOptions(web.imageId().toString()), reports("r1.json", "r2.json")));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("verify (r2.json): the slim image answered differently: GET :8080/: "),
        e.getMessage());
    JsonNode failure = new ObjectMapper().readTree(tmp.resolve("merged.json").toFile());
    assertEquals("verify", failure.get("stage").asText());
    assertEquals(List.of(), pipeline.cleanupFailures());
    assertNothingLeft(host, List.of("fake/app.web:1", "fake/app.worker:1", FakeHost.ORIGINAL));
  }

  @Test
  void whatAnEarlierBuildKeptIsKeptThoughTheMergesOwnSelectionWouldNot() throws Exception {
    // as if r1's build had kept the manual by a keep rule of its own, which the merge is not given:
    // its run's log no longer shows it, its kept paths still do
    FakeHost host = new FakeHost();
    BuildReport web = build(host, MANUAL, "fake/app.web:1", "r1.json");
    forgetAccess(tmp.resolve("r1.json"), MANUAL);
    BuildReport merged = new BuildPipeline(host.services(), BuildListener.silent())
        .merge(mergeOptions(web.imageId().toString()), reports("r1.json"));
    assertTrue(host.engine.filesOf(MERGED).containsKey(MANUAL));
    BuildReport.KeptPath manual = kept(merged, MANUAL);
    assertEquals("observed", manual.reason(), "the report's reason stays");
    assertEquals("kept by r1.json as observed", manual.detail());
  }

  @Test
  void reportsOfTwoImagesAreRefusedNamingTheOneThatDiffers() throws Exception {
    FakeHost host = new FakeHost();
    BuildReport web = build(host, MANUAL, "fake/app.web:1", "r1.json");
    build(host, MOTD, "fake/app.worker:1", "r2.json");
    ObjectNode r2 = (ObjectNode) new ObjectMapper().readTree(tmp.resolve("r2.json").toFile());
    r2.put("imageId", "sha256:" + "b".repeat(64));
    new ObjectMapper().writeValue(tmp.resolve("r2.json").toFile(), r2);
    host.events.clear();
    BuildException e = assertThrows(BuildException.class, () -> new BuildPipeline(host.services(),
        BuildListener.silent()).merge(mergeOptions(web.imageId().toString()), reports("r1.json", "r2.json")));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().startsWith("r2.json is a report of image sha256:bbbb"), e.getMessage());
    assertEquals(List.of(), host.events, "nothing ran");
  }

  @Test
  void aMergeOfAnImageNoLongerInTheEngineFailsAtInspection() throws Exception {
    FakeHost host = new FakeHost();
    build(host, MANUAL, "fake/app.web:1", "r1.json");
    BuildException e = assertThrows(BuildException.class, () -> new BuildPipeline(host.services(),
        BuildListener.silent()).merge(mergeOptions("sha256:" + "c".repeat(64)), reports("r1.json")));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().startsWith("inspect: image 'sha256:cccc"), e.getMessage());
  }

  /** Takes {@code path} out of the report's runs' access logs and its kept paths. */
  private static void forget(Path report, UnixPath path) throws Exception {
    forgetAccess(report, path);
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(report.toFile());
    remove((ArrayNode) root.get("kept"), k -> k.get("path").asText().equals(path.toString()));
    new ObjectMapper().writeValue(report.toFile(), root);
  }

  private static void forgetAccess(Path report, UnixPath path) throws Exception {
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(report.toFile());
    for (JsonNode run : root.get("runs")) {
      remove((ArrayNode) run.get("access").get("files"), f -> f.asText().equals(path.toString()));
    }
    new ObjectMapper().writeValue(report.toFile(), root);
  }

  private static void remove(ArrayNode array, java.util.function.Predicate<JsonNode> which) {
    for (Iterator<JsonNode> i = array.elements(); i.hasNext(); ) {
      if (which.test(i.next())) {
        i.remove();
      }
    }
  }

  private static BuildListener listener(List<String> lines) {
    return new BuildListener() {
      @Override
      public void stageFinished(Stage stage, Duration elapsed, String summary) {
        lines.add(stage.label() + ": " + summary);
      }

      @Override
      public void scenarioStageFinished(Stage stage, String run, Duration elapsed, String summary) {
        lines.add(stage.label() + " (" + run + "): " + summary);
      }
    };
  }

  private static long count(FakeHost host, String event) {
    return host.events.stream().filter(e -> e.equals(event)).count();
  }

  private static BuildReport.KeptPath kept(BuildReport report, UnixPath path) {
    return report.kept().stream().filter(k -> k.path().equals(path.toString())).findFirst().orElseThrow();
  }

  private void assertNothingLeft(FakeHost host, List<String> tags) throws Exception {
    assertEquals(List.of(), host.engine.containerIds(), "containers left");
    assertEquals(tags.stream().sorted().toList(), host.engine.tags().keySet().stream().sorted().toList());
    Path work = tmp.resolve("work");
    if (Files.exists(work)) {
      try (Stream<Path> left = Files.list(work)) {
        assertEquals(List.of(), left.toList(), "work root");
      }
    }
  }
}
