package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code minify merge} on a real image: one python image with a web and a worker mode (the idea
 * of {@link ScenariosIT}), built twice, once per mode, each with its own {@code --report}. Each
 * of those slim images lacks the other mode's file; their merge keeps both, replays each build's
 * run against the merged image and is tagged only then. A report that recorded less fails the
 * merge naming it, and a report whose image is gone is bad input; neither leaves anything behind.
 */
class MergeIT extends RealEngineTest {

  private static final String IMAGE = "minify-merge-modes:1";
  private static final String WEB = "minify-merge-modes-web.slim:1";
  private static final String WORKER = "minify-merge-modes-worker.slim:1";
  private static final String MERGED = "minify-merge-modes.slim:1";


  /** Where the two builds' reports are, for every test. */
  private static Path reports;
  private static Path webReport;
  private static Path workerReport;

  @BeforeAll
  static void buildImageAndBothModes() throws Exception {
    TwoModeImage.build(IMAGE);
    reports = Files.createTempDirectory("minify-merge-it-reports");
    webReport = reports.resolve("web.json");
    workerReport = reports.resolve("worker.json");
    Path work = Files.createTempDirectory("minify-merge-it-work");
    try {
      CliRun web = CliRun.of("build", IMAGE, "--tag", WEB, "--work-dir", work.toString(), "--quiet", "--report",
          webReport.toString());
      assertEquals(0, web.exitCode(), web.toString());
      CliRun worker = CliRun.of("build", IMAGE, "--tag", WORKER, "--work-dir", work.toString(), "--quiet",
          "--report", workerReport.toString(), "--cmd", "[\"python3\", \"/app/app.py\", \"worker\"]", "--env",
          "QUEUE=jobs", "--exec", "cat /srv/jobs/jobs.csv");
      assertEquals(0, worker.exitCode(), worker.toString());
      Leftovers.assertNoneIn(work);
    } finally {
      Files.deleteIfExists(work);
    }
  }

  @AfterAll
  static void removeImagesAndReports() throws Exception {
    for (String tag : List.of(MERGED, WEB, WORKER, IMAGE)) {
      TestImages.untag(tag);
    }
    if (reports != null) {
      try (Stream<Path> left = Files.list(reports)) {
        for (Path f : left.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(reports);
    }
  }

  @Test
  void theMergedImageRunsBothModesWhereEachBuildsImageRunsOnlyItsOwn() throws Exception {
    // the proof the merge is needed: each build's slim image lacks the other mode's file
    IllegalStateException noJobs = assertThrows(IllegalStateException.class, () -> DockerCli.run("run", "--rm",
        "--name", "minify-merge-it-web-worker", "-e", "ONCE=1", WEB, "python3", "/app/app.py", "worker"));
    assertTrue(noJobs.getMessage().contains("No such file or directory: '/srv/jobs/jobs.csv'"), noJobs.getMessage());
    IllegalStateException noPage = assertThrows(IllegalStateException.class, () -> DockerCli.run("run", "--rm",
        "--name", "minify-merge-it-worker-web", WORKER, "python3", "/app/app.py", "web"));
    assertTrue(noPage.getMessage().contains("No such file or directory: '/srv/web/page.html'"), noPage.getMessage());

    Path merged = reports.resolve("merged.json");
    CliRun run = CliRun.of("merge", webReport.toString(), workerReport.toString(), "--tag", MERGED, "--work-dir",
        workRoot.toString(), "--report", merged.toString());
    assertEquals(0, run.exitCode(), run.toString());
    for (String stage : List.of("recall (" + webReport + ")", "recall (" + workerReport + ")", "select", "package",
        "verify (" + webReport + ")", "verify (" + workerReport + ")")) {
      assertTrue(run.err().contains("[minify] " + stage), stage + ": " + run.err());
    }
    assertFalse(run.err().contains("[minify] start gated"), "nothing is watched again: " + run.err());
    assertTrue(run.err().contains("all 2 scenarios pass; tagged " + MERGED), run.err());

    JsonNode json = new ObjectMapper().readTree(merged.toFile());
    assertEquals(List.of(webReport.toString(), workerReport.toString()), texts(json.get("mergedFrom")));
    assertEquals(List.of(webReport.toString()), runsOf(json, "/srv/web/page.html"));
    assertEquals(List.of(workerReport.toString()), runsOf(json, "/srv/jobs/jobs.csv"));
    assertEquals(List.of(webReport.toString(), workerReport.toString()), runsOf(json, "/app/app.py"));
    JsonNode worker = json.get("scenarios").get(1);
    assertEquals(workerReport.toString(), worker.get("name").asText());
    assertTrue(worker.get("probes").findValuesAsText("kind").contains("exec"), "the worker's exec was replayed");
    for (JsonNode s : json.get("scenarios")) {
      assertTrue(s.get("probes").size() > 0, s.toString());
      assertEquals(s.get("probes").size(), s.get("probesMatching").asInt(), s.toString());
    }
    assertEquals(new ObjectMapper().readTree(webReport.toFile()).get("imageId"), json.get("imageId"));

    // both modes work on the one merged image
    String jobs = DockerCli.run("run", "--rm", "--name", "minify-merge-it-worker", "-e", "ONCE=1", MERGED, "python3",
        "/app/app.py", "worker");
    assertTrue(jobs.contains("\"jobs\": 2"), jobs);
    assertTrue(files(MERGED).containsAll(List.of("/srv/web/page.html", "/srv/jobs/jobs.csv")));
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void aReportThatRecordedLessFailsTheMergeNamingItAndNothingIsTagged() throws Exception {
    // as if the worker's run had never shown its jobs file: its run needs it, the merge lacks it
    Path less = reports.resolve("worker-less.json");
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(workerReport.toFile());
    remove((ArrayNode) root.get("kept"), k -> k.get("path").asText().equals("/srv/jobs/jobs.csv"));
    for (JsonNode r : root.get("runs")) {
      remove((ArrayNode) r.get("access").get("files"), f -> f.asText().equals("/srv/jobs/jobs.csv"));
    }
    new ObjectMapper().writeValue(less.toFile(), root);
    Path failure = reports.resolve("failed-merge.json");
    CliRun run = CliRun.of("merge", webReport.toString(), less.toString(), "--tag", MERGED + "-less",
        "--work-dir", workRoot.toString(), "--report", failure.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("minify: error: verify (" + less + "): the slim image "), run.err());
    assertFalse(engine.images().inspectImage(MERGED + "-less").isPresent(), "not tagged");
    JsonNode report = new ObjectMapper().readTree(failure.toFile());
    assertEquals("verify", report.get("stage").asText());
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void aReportWhoseImageIsGoneIsBadInputNamingIt() throws Exception {
    Path gone = reports.resolve("gone.json");
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(webReport.toFile());
    root.put("imageId", "sha256:" + "0".repeat(64));
    new ObjectMapper().writeValue(gone.toFile(), root);
    CliRun run = CliRun.of("merge", gone.toString(), "--tag", MERGED + "-gone", "--work-dir", workRoot.toString(),
        "--report", reports.resolve("gone-merge.json").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: " + gone + ": its image sha256:" + "0".repeat(64) + " (" + IMAGE + ") is no longer"
        + " in the engine (minify never pulls: build or load it again)", run.err().strip());
    assertFalse(Files.exists(reports.resolve("gone-merge.json")));
    assertFalse(engine.images().inspectImage(MERGED + "-gone").isPresent());
    Leftovers.assertNone(engine, workRoot);
  }

  /** The paths of an image's files, listed by a container of it that never starts. */
  private static List<String> files(String image) throws Exception {
    String container = DockerCli.run("create", "--name", "minify-merge-it-files", image).strip();
    try {
      List<String> found = new ArrayList<>();
      for (String path : List.of("/srv/web/page.html", "/srv/jobs/jobs.csv")) {
        try {
          DockerCli.run("cp", container + ":" + path, "-");
          found.add(path);
        } catch (IllegalStateException missing) {
          // not in the image
        }
      }
      return found;
    } finally {
      DockerCli.run("rm", container);
    }
  }

  private static List<String> runsOf(JsonNode report, String path) {
    for (JsonNode kept : report.get("kept")) {
      if (kept.get("path").asText().equals(path)) {
        return texts(kept.path("scenarios"));
      }
    }
    throw new AssertionError(path + " is not kept");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void remove(ArrayNode array, java.util.function.Predicate<JsonNode> which) {
    for (Iterator<JsonNode> i = array.elements(); i.hasNext(); ) {
      if (which.test(i.next())) {
        i.remove();
      }
    }
  }
}
