package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One image, two modes ({@code --scenarios}): {@code web} serves a page read from
 * {@code /srv/web/}, {@code worker} reads a CSV of jobs from {@code /srv/jobs/} with modules the
 * web mode never imports, and answers HTTP with what it computed. Watched and verified as two
 * scenarios, the slim image keeps what each needed and says so; built from the web scenario
 * alone, the worker mode breaks on the slim image, which is why the merge matters.
 */
class ScenariosIT extends RealEngineTest {

  private static final String IMAGE = "minify-scen-modes:1";
  private static final String SLIM = "minify-scen-modes.slim:1";
  private static final String WEB_ONLY = "minify-scen-modes-web.slim:1";


  private static final String BOTH = """
      {"scenarios": [
        {"name": "web", "cmd": ["python3", "/app/app.py", "web"]},
        {"name": "worker", "cmd": ["python3", "/app/app.py", "worker"], "env": {"QUEUE": "jobs"},
         "exec": ["cat /srv/jobs/jobs.csv"]}
      ]}
      """;

  @BeforeAll
  static void buildImage() throws Exception {
    TwoModeImage.build(IMAGE);
  }


  @AfterAll
  static void removeImages() {
    TestImages.untag(SLIM);
    TestImages.untag(WEB_ONLY);
    TestImages.untag(IMAGE);
  }

  @Test
  void bothModesAreKeptEachForItsScenarioAndBothAreVerifiedOnTheOneSlimImage() throws Exception {
    Path scenarios = Files.writeString(workRoot.resolveSibling(workRoot.getFileName() + "-both.json"), BOTH);
    Path report = workRoot.resolveSibling(workRoot.getFileName() + "-report.json");
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", SLIM, "--work-dir", workRoot.toString(), "--report",
          report.toString(), "--scenarios", scenarios.toString());
      assertEquals(0, run.exitCode(), run.toString());
      for (String stage : List.of("start gated (web)", "probe (web)", "stop (web)", "probe (worker)",
          "stop (worker)", "verify (web)", "verify (worker)")) {
        assertTrue(run.err().contains("[minify] " + stage), stage + ": " + run.err());
      }
      assertTrue(run.err().contains("all 2 scenarios pass; tagged " + SLIM), run.err());

      JsonNode json = new ObjectMapper().readTree(report.toFile());
      JsonNode web = json.get("scenarios").get(0);
      JsonNode worker = json.get("scenarios").get(1);
      assertEquals("web", web.get("name").asText());
      assertEquals("worker", worker.get("name").asText());
      assertEquals("[\"python3\",\"/app/app.py\",\"worker\"]", worker.get("settings").get("cmd").toString());
      assertTrue(web.get("keptOnlyThis").asLong() > 0, web.toString());
      assertTrue(worker.get("keptOnlyThis").asLong() > 0, worker.toString());
      for (JsonNode s : List.of(web, worker)) {
        assertTrue(s.get("probes").size() > 0, s.toString());
        assertEquals(s.get("probes").size(), s.get("probesMatching").asInt(), s.toString());
      }
      assertTrue(worker.get("probes").findValuesAsText("kind").contains("exec"), "worker's exec probe ran");
      assertEquals(List.of("web"), scenariosOf(json, "/srv/web/page.html"));
      assertEquals(List.of("worker"), scenariosOf(json, "/srv/jobs/jobs.csv"));
      assertEquals(List.of("web", "worker"), scenariosOf(json, "/app/app.py"));

      // the slim image runs the worker mode, as the original does
      String out = DockerCli.run("run", "--rm", "--name", "minify-scen-it-worker", "-e", "ONCE=1", SLIM,
          "python3", "/app/app.py", "worker");
      assertTrue(out.contains("\"jobs\": 2"), out);
      Leftovers.assertNone(engine, workRoot);
    } finally {
      Files.deleteIfExists(scenarios);
      Files.deleteIfExists(report);
    }
  }

  @Test
  void aBuildOfTheWebModeAloneLosesWhatTheWorkerNeeds() throws Exception {
    Path scenarios = Files.writeString(workRoot.resolveSibling(workRoot.getFileName() + "-web.json"),
        "{\"scenarios\": [{\"name\": \"web\", \"cmd\": [\"python3\", \"/app/app.py\", \"web\"]}]}");
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", WEB_ONLY, "--work-dir", workRoot.toString(), "--no-report",
          "--quiet", "--scenarios", scenarios.toString());
      assertEquals(0, run.exitCode(), run.toString());
      IllegalStateException broken = assertThrows(IllegalStateException.class, () -> DockerCli.run("run", "--rm",
          "--name", "minify-scen-it-lost", "-e", "ONCE=1", WEB_ONLY, "python3", "/app/app.py", "worker"));
      assertTrue(broken.getMessage().contains("FileNotFoundError: [Errno 2] No such file or directory:"
          + " '/srv/jobs/jobs.csv'"), "the worker's jobs are not in the web-only slim image: " + broken.getMessage());
      Leftovers.assertNone(engine, workRoot);
    } finally {
      Files.deleteIfExists(scenarios);
    }
  }

  @Test
  void aScenarioFileWithATypoIsRefusedNamingTheFileTheScenarioAndTheField() throws Exception {
    Path scenarios = Files.writeString(workRoot.resolveSibling(workRoot.getFileName() + "-typo.json"),
        "{\"scenarios\": [{\"name\": \"web\"}, {\"name\": \"worker\", \"comd\": [\"python3\"]}]}");
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", SLIM + "-typo", "--work-dir", workRoot.toString(),
          "--no-report", "--scenarios", scenarios.toString());
      assertRefused(run, "--scenarios " + scenarios + ": scenario 'worker': unknown field 'comd' (known: name,"
          + " entrypoint, cmd, env, workdir, user, httpProbe, probes, exec, hostExec, continueAfter)", SLIM + "-typo");
      assertFalse(run.err().contains("[minify]"), "nothing ran: " + run.err());
    } finally {
      Files.deleteIfExists(scenarios);
    }
  }

  private static List<String> scenariosOf(JsonNode report, String path) {
    for (JsonNode kept : report.get("kept")) {
      if (kept.get("path").asText().equals(path)) {
        List<String> names = new ArrayList<>();
        kept.path("scenarios").forEach(n -> names.add(n.asText()));
        return names;
      }
    }
    throw new AssertionError(path + " is not kept");
  }
}
