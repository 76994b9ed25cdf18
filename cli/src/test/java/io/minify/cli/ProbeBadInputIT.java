package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad probe input: one line naming the bad part, exit code 2, and no container ever started. */
class ProbeBadInputIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final Path PROBES = Path.of("src", "test", "resources", "probes").toAbsolutePath();

  @Test
  void malformedProbeFile() throws Exception {
    assertBad("--http-probe-cmd-file: probe file " + PROBES.resolve("malformed.json") + ": not valid JSON (line 1",
        "--http-probe-cmd-file", PROBES.resolve("malformed.json").toString());
  }

  @Test
  void unknownProtocolInProbeFile() throws Exception {
    assertBad("probes[0]: unknown protocol 'gopher'", "--http-probe-cmd-file",
        PROBES.resolve("unknown-protocol.json").toString());
  }

  @Test
  void unknownProtocolInProbeCommand() throws Exception {
    assertBad("--http-probe-cmd: unknown protocol 'ftp' in probe 'ftp:get:/'", "--http-probe-cmd", "ftp:get:/");
  }

  @Test
  void specThatDoesNotParse() throws Exception {
    assertBad("--http-probe-apispec: " + PROBES.resolve("not-a-spec.yaml") + " does not parse as YAML",
        "--http-probe-apispec", PROBES.resolve("not-a-spec.yaml").toString());
  }

  @Test
  void tcpProbeOnPortNotExposed() throws Exception {
    assertBad("--tcp-probe 6379: the image does not expose that port (exposed: [8080])", "--tcp-probe", "6379");
  }

  @Test
  void httpProbePortNotExposed() throws Exception {
    assertBad("probe GET :9090/ targets port 9090, which the image does not expose (exposed: [8080])",
        "--http-probe-ports", "9090");
  }

  @Test
  void httpOffWithNothingToDriveTheApp() throws Exception {
    assertBad("--http-probe-off: nothing would drive the app", "--http-probe-off");
  }

  @Test
  void enterWithoutTerminal() throws Exception {
    assertBad("--continue-after enter: stdin is not a terminal", "--continue-after", "enter");
  }

  private void assertBad(String message, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--no-report", "--quiet", "--work-dir",
        workRoot.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run);
    assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run);
    Leftovers.assertNone(engine, workRoot);
  }
}
