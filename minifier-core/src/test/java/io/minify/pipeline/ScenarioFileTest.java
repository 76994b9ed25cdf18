package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.run.ContinueAfter;
import io.minify.run.ProbeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scenario file: every field read, every bad input one line naming the file, the scenario and the field. */
class ScenarioFileTest {

  @TempDir
  Path tmp;

  @Test
  void everyFieldIsReadAndOverridesOnlyItsOwnOption() {
    List<Scenario> scenarios = ScenarioFile.parse("""
        {"scenarios": [
          {"name": "web"},
          {"name": "worker-2", "entrypoint": ["python3"], "cmd": ["/app/app.py", "worker"],
           "env": {"MODE": "worker", "EMPTY": ""}, "workdir": "/srv", "user": "app:app", "httpProbe": true,
           "probes": ["GET:/jobs", "post:/run"], "exec": ["ls /srv", ["/bin/true", "x"]], "continueAfter": "timeout:5",
           "hostExec": ["./suite.sh worker", "curl -fs \\"$MINIFY_TARGET_URL/jobs\\""]}
        ]}""", "s.json");
    assertEquals(List.of("web", "worker-2"), scenarios.stream().map(Scenario::name).toList());
    assertEquals(Scenario.plain("web"), scenarios.get(0));

    BuildOptions base = BuildOptions.defaults("app:1").toBuilder().run(new io.minify.run.RunSettings(
        List.of("TOKEN=1", "MODE=web"), List.of(), null, null, List.of("--old"), null, null, List.of(), Map.of()))
        .build();
    BuildOptions web = scenarios.get(0).applyTo(base);
    assertEquals(base.run(), web.run(), "a scenario without fields is the plain build");
    assertEquals(base.probing(), web.probing());

    BuildOptions worker = scenarios.get(1).applyTo(base);
    assertEquals(List.of("TOKEN=1", "MODE=web", "MODE=worker", "EMPTY="), worker.run().env(),
        "added after the build's: the scenario's value wins");
    assertEquals(List.of("python3"), worker.run().entrypoint());
    assertEquals(List.of("/app/app.py", "worker"), worker.run().cmd());
    assertEquals("/srv", worker.run().workingDir());
    assertEquals("app:app", worker.run().user());
    ProbeSettings p = worker.probing();
    assertEquals(List.of("GET /jobs", "POST /run"), p.httpProbes().stream()
        .map(x -> x.probe().method() + " " + x.probe().path()).toList());
    assertEquals(List.of("ls /srv", "[\"/bin/true\",\"x\"]"), p.execs().stream().map(e -> e.text()).toList());
    assertEquals(List.of("/bin/true", "x"), p.execs().get(1).argv());
    assertEquals(ContinueAfter.parse("timeout:5"), p.continueAfter());
    assertEquals(List.of("./suite.sh worker", "curl -fs \"$MINIFY_TARGET_URL/jobs\""),
        p.hostExecs().stream().map(h -> h.text()).toList());
    assertEquals(base.probing().hostExecTimeout(), p.hostExecTimeout(), "the build's time limit applies");
    assertEquals(List.of(), worker.scenarios());
  }

  @Test
  void aNewEntrypointDropsTheBuildsCmdAsDockerRunDoes() {
    Scenario s = ScenarioFile.parse("{\"scenarios\": [{\"name\": \"a\", \"entrypoint\": [\"/bin/sh\"]}]}", "f")
        .get(0);
    BuildOptions base = BuildOptions.defaults("app:1").toBuilder().run(new io.minify.run.RunSettings(List.of(),
        List.of(), null, null, List.of("--old"), null, null, List.of(), Map.of())).build();
    assertNull(s.applyTo(base).run().cmd());
  }

  @Test
  void httpProbingTurnedOffTakesTheCrawlWithIt() {
    Scenario s = ScenarioFile.parse("{\"scenarios\": [{\"name\": \"a\", \"httpProbe\": false, \"exec\": [\"true\"]}]}",
        "f").get(0);
    ProbeSettings p = s.applyTo(BuildOptions.defaults("app:1")).probing();
    assertEquals(false, p.http());
    assertNull(p.crawl());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not json                | {"scenarios": [        | s.json: not JSON:
      not an object           | []                     | s.json: not a JSON object
      other top-level field   | {"scenarios": [{"name": "a"}], "x": 1} | s.json: unknown field 'x'
      no scenarios            | {"scenarios": []}      | s.json: "scenarios" must be a non-empty array
      scenarios not a list    | {"scenarios": {}}      | s.json: "scenarios" must be a non-empty array
      scenario not an object  | {"scenarios": ["web"]} | s.json: scenario #1: not a JSON object
      no name                 | {"scenarios": [{"cmd": ["x"]}]} | s.json: scenario #1: field 'name': missing
      bad name                | {"scenarios": [{"name": "Web"}]} | s.json: scenario #1: field 'name': 'Web' is not [a-z0-9-]+
      empty name              | {"scenarios": [{"name": ""}]} | s.json: scenario #1: field 'name': '' is not
      name twice              | {"scenarios": [{"name": "a"}, {"name": "a"}]} | s.json: scenario 'a': field 'name': used by scenario #1 too
      duplicate key           | {"scenarios": [{"name": "a", "name": "b"}]} | s.json: not JSON: Duplicate field 'name'
      unknown field (typo)    | {"scenarios": [{"name": "a", "prob": ["GET:/"]}]} | s.json: scenario 'a': unknown field 'prob' (known: name,
      cmd not a list          | {"scenarios": [{"name": "a", "cmd": "python3 x"}]} | s.json: scenario 'a': field 'cmd': must be a JSON array of strings
      cmd of numbers          | {"scenarios": [{"name": "a", "cmd": [1]}]} | s.json: scenario 'a': field 'cmd': must be a JSON array of strings; 1 is not a string
      empty cmd               | {"scenarios": [{"name": "a", "cmd": []}]} | s.json: scenario 'a': field 'cmd': an empty command
      entrypoint not a list   | {"scenarios": [{"name": "a", "entrypoint": {}}]} | s.json: scenario 'a': field 'entrypoint': must be
      env not an object       | {"scenarios": [{"name": "a", "env": ["A=1"]}]} | s.json: scenario 'a': field 'env': must be a JSON object
      env value a number      | {"scenarios": [{"name": "a", "env": {"A": 1}}]} | s.json: scenario 'a': field 'env': the value of A must be a string
      env name empty          | {"scenarios": [{"name": "a", "env": {"": "1"}}]} | s.json: scenario 'a': field 'env':
      workdir relative        | {"scenarios": [{"name": "a", "workdir": "srv"}]} | s.json: scenario 'a': field 'workdir':
      workdir a number        | {"scenarios": [{"name": "a", "workdir": 1}]} | s.json: scenario 'a': field 'workdir': must be a string
      user empty              | {"scenarios": [{"name": "a", "user": " "}]} | s.json: scenario 'a': field 'user': must not be empty
      httpProbe a string      | {"scenarios": [{"name": "a", "httpProbe": "yes"}]} | s.json: scenario 'a': field 'httpProbe': must be true or false
      bad probe               | {"scenarios": [{"name": "a", "probes": ["FETCH /x"]}]} | s.json: scenario 'a': field 'probes':
      probes not a list       | {"scenarios": [{"name": "a", "probes": "GET:/"}]} | s.json: scenario 'a': field 'probes': must be a JSON array
      exec not a list         | {"scenarios": [{"name": "a", "exec": "ls"}]} | s.json: scenario 'a': field 'exec': must be a JSON array of commands
      exec empty command      | {"scenarios": [{"name": "a", "exec": [" "]}]} | s.json: scenario 'a': field 'exec': empty command
      exec empty array        | {"scenarios": [{"name": "a", "exec": [[]]}]} | s.json: scenario 'a': field 'exec': empty command
      exec a number           | {"scenarios": [{"name": "a", "exec": [3]}]} | s.json: scenario 'a': field 'exec': 3 is neither a string nor an array
      exec array of numbers   | {"scenarios": [{"name": "a", "exec": [[3]]}]} | s.json: scenario 'a': field 'exec': must be a JSON array of strings; 3
      bad continueAfter       | {"scenarios": [{"name": "a", "continueAfter": "later"}]} | s.json: scenario 'a': field 'continueAfter': unknown mode 'later'
      bad timeout             | {"scenarios": [{"name": "a", "continueAfter": "timeout:0"}]} | s.json: scenario 'a': field 'continueAfter': 'timeout:0'
      hostExec not a list     | {"scenarios": [{"name": "a", "hostExec": "pytest"}]} | s.json: scenario 'a': field 'hostExec': must be a JSON array of command lines
      hostExec a word list    | {"scenarios": [{"name": "a", "hostExec": [["pytest", "-q"]]}]} | s.json: scenario 'a': field 'hostExec': ["pytest","-q"] is not a string
      hostExec empty command  | {"scenarios": [{"name": "a", "hostExec": ["  "]}]} | s.json: scenario 'a': field 'hostExec': empty command
      """)
  void badInputIsOneLineNamingFileScenarioAndField(String why, String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parse(text, "s.json"));
    assertTrue(e.getMessage().startsWith(message), why + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void aFileThatCannotBeReadIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.parse(tmp.resolve("missing.json")));
    assertEquals(tmp.resolve("missing.json") + ": cannot read it (NoSuchFileException)", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      exec mode without commands | {"name": "a", "continueAfter": "exec"} | s.json: scenario 'a': field 'continueAfter': exec, but the scenario has no command
      probes without HTTP        | {"name": "a", "httpProbe": false, "probes": ["GET:/"], "exec": ["true"]} | s.json: scenario 'a': field 'probes': HTTP probes need HTTP probing, which its 'httpProbe': false turns off
      nothing drives the app     | {"name": "a", "httpProbe": false} | s.json: scenario 'a': field 'httpProbe': false, and nothing else would drive the app
      host-exec mode without any | {"name": "a", "continueAfter": "host-exec"} | s.json: scenario 'a': field 'continueAfter': host-exec, but the scenario has no command to run on the host
      """)
  void whatTheScenarioLeavesUndrivableIsRefusedBeforeAnythingRuns(String why, String scenario, String message) {
    List<Scenario> scenarios = ScenarioFile.parse("{\"scenarios\": [" + scenario + "]}", "s.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.check(scenarios, BuildOptions.defaults("app:1"), "s.json"));
    assertTrue(e.getMessage().startsWith(message), why + ": " + e.getMessage());
  }

  @Test
  void aScenarioDrivenByItsHostTestSuiteAloneNeedsNoHttpProbing() {
    List<Scenario> scenarios = ScenarioFile.parse("{\"scenarios\": [{\"name\": \"a\", \"httpProbe\": false,"
        + " \"hostExec\": [\"npm test\"], \"continueAfter\": \"host-exec\"}]}", "s.json");
    ScenarioFile.check(scenarios, BuildOptions.defaults("app:1"), "s.json");
  }

  @Test
  void aScenarioThatWaitsIsDrivenEnoughWithoutHttp() {
    List<Scenario> scenarios = ScenarioFile.parse(
        "{\"scenarios\": [{\"name\": \"a\", \"httpProbe\": false, \"continueAfter\": \"timeout:3\"}]}", "s.json");
    ScenarioFile.check(scenarios, BuildOptions.defaults("app:1"), "s.json");
  }

  @Test
  void aScenariosExecIsRefusedWithASeccompProfileAsTheBuildsOwnIs() {
    List<Scenario> scenarios = ScenarioFile.parse(
        "{\"scenarios\": [{\"name\": \"web\"}, {\"name\": \"job\", \"exec\": [\"run-job\"]}]}", "s.json");
    BuildOptions traced = BuildOptions.defaults("app:1").toBuilder()
        .output(OutputTargets.defaults().withSeccompProfile(java.nio.file.Path.of("p.json"))).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScenarioFile.check(scenarios, traced, "s.json"));
    assertEquals("s.json: scenario 'job': field 'exec': --seccomp-profile records the syscalls of the app's own"
        + " processes, and exec commands run beside them (leave out one of the two)", e.getMessage());
    ScenarioFile.check(scenarios.subList(0, 1), traced, "s.json");
  }
}
