package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.pipeline.BuildOptions;
import io.minify.run.ContinueAfter;
import io.minify.run.HostExecCommand;
import io.minify.run.ProbeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --host-exec}, {@code --host-exec-file}, {@code --host-exec-timeout} and
 * {@code --continue-after host-exec}: parsed and validated without an engine; bad input is
 * one line naming the option or the file, exit 2.
 */
class HostExecOptionsTest {

  @TempDir
  Path tmp;

  @Test
  void commandsComeInOrderTheCommandLinesFirstThenTheFilesWithoutBlanksOrComments() throws Exception {
    Path file = tmp.resolve("suite.txt");
    Files.writeString(file, "# the API tests\n\n  pytest tests/api  \n   # indented comment\nnpm test\n",
        StandardCharsets.UTF_8);
    ProbeSettings probing = options("build", "app:1", "--host-exec", "curl -fsS \"$MINIFY_TARGET_URL/health\"",
        "--host-exec-file", file.toString(), "--host-exec", "./smoke.sh").probing();
    assertEquals(List.of(new HostExecCommand("curl -fsS \"$MINIFY_TARGET_URL/health\""),
        new HostExecCommand("./smoke.sh"), new HostExecCommand("pytest tests/api"), new HostExecCommand("npm test")),
        probing.hostExecs());
    assertEquals(ProbeSettings.DEFAULT_HOST_EXEC_TIMEOUT, probing.hostExecTimeout());
    assertEquals(Duration.ofMinutes(10), probing.hostExecTimeout());
  }

  @Test
  void theTimeoutAndTheContinueModeAreTaken() {
    ProbeSettings probing = options("build", "app:1", "--host-exec", "true", "--host-exec-timeout", "90",
        "--continue-after", "host-exec").probing();
    assertEquals(Duration.ofSeconds(90), probing.hostExecTimeout());
    assertEquals(ContinueAfter.Mode.HOST_EXEC, probing.continueAfter().mode());
    assertEquals("host-exec", probing.continueAfter().toString());
  }

  @Test
  void aHostExecAloneDrivesAnAppWithoutHttpProbing() {
    ProbeSettings probing = options("build", "app:1", "--no-http-probe", "--host-exec", "./suite.sh").probing();
    assertEquals(false, probing.http());
    assertEquals(1, probing.hostExecs().size());
  }

  @Test
  void withoutHostExecNothingChanges() {
    ProbeSettings probing = options("build", "app:1").probing();
    assertEquals(List.of(), probing.hostExecs());
    assertEquals(ContinueAfter.PROBE, probing.continueAfter());
  }

  @Test
  void anEmptyCommandIsRefusedNamingTheOption() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec", "   "), "--host-exec: empty command");
  }

  @Test
  void aMissingOrEmptyFileIsRefusedNamingTheFile() throws Exception {
    Path missing = tmp.resolve("absent.txt");
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec-file", missing.toString()),
        "--host-exec-file: cannot read " + missing + ": no such file");
    Path comments = tmp.resolve("comments.txt");
    Files.writeString(comments, "# nothing yet\n\n", StandardCharsets.UTF_8);
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec-file", comments.toString()),
        "--host-exec-file: " + comments + " holds no command");
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec-file", tmp.toString()),
        "--host-exec-file: cannot read " + tmp + ": Is a directory");
  }

  @Test
  void aFileThatIsNotTextIsRefusedNamingIt() throws Exception {
    Path binary = tmp.resolve("suite.bin");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '\n'});
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec-file", binary.toString()),
        "--host-exec-file: cannot read " + binary + ": not UTF-8 text");
  }

  @Test
  void aTimeoutOutOfRangeIsRefused() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--host-exec", "true", "--host-exec-timeout", "0"),
        "--host-exec-timeout must be 1 to 86400 seconds");
  }

  @Test
  void continuingAfterHostExecNeedsOne() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--continue-after", "host-exec"),
        "--continue-after host-exec: there is no --host-exec or --host-exec-file command");
  }

  @Test
  void httpProbingOffWithNothingToDriveTheAppNamesHostExec() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--http-probe-off"),
        "--http-probe-off: nothing would drive the app; add --tcp-probe, --exec, --host-exec or"
            + " --continue-after timeout:N|signal|enter");
  }

  @Test
  void anUnknownContinueModeListsHostExec() {
    CliRun run = CliRun.of("build", "app:1", "--continue-after", "tests");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(true, run.err().contains("(use probe, exec, host-exec, timeout:N, signal or enter)"), run.toString());
  }

  private static BuildOptions options(String... args) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    CommandLine.ParseResult parsed = cmd.parseArgs(args);
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    return build.probing.applyTo(BuildOptions.defaults("app:1").toBuilder()).build();
  }
}
