package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real shell of this host: exit codes, the environment, the output's tail, the time limit. */
class ShellHostCommandsTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir
  Path tmp;

  private final ShellHostCommands shell = new ShellHostCommands();

  private HostExecResult run(String command, Map<String, String> env, Duration timeout) throws Exception {
    return shell.run(HostExecCommand.parse(command), env, timeout, tmp.resolve("out.log"));
  }

  @Test
  void theExitCodeAndTheOutputOfBothStreamsInOrder() throws Exception {
    HostExecResult r = run("echo one; echo two >&2; echo three; exit 3", Map.of(), MINUTE);
    assertEquals(3, r.exitCode());
    assertFalse(r.timedOut());
    assertEquals("one\ntwo\nthree\n", new String(r.outputTail(), StandardCharsets.UTF_8));
    assertEquals(14, r.outputBytes());
    assertEquals("one | two | three", r.lastLines(3, 300));
    assertEquals("two | three", r.lastLines(2, 300));
    assertFalse(Files.exists(tmp.resolve("out.log")), "the output file is removed once read");
  }

  @Test
  void theTargetEnvironmentIsAddedToMinifysOwn() throws Exception {
    HostExecResult r = run("printf '%s %s' \"$MINIFY_TARGET_URL\" \"${PATH:+has-path}\"",
        Map.of("MINIFY_TARGET_URL", "http://127.0.0.1:49153"), MINUTE);
    assertEquals(0, r.exitCode());
    assertEquals("http://127.0.0.1:49153 has-path", new String(r.outputTail(), StandardCharsets.UTF_8));
  }

  @Test
  void itRunsInMinifysWorkingDirectoryWithAnEmptyStdin() throws Exception {
    HostExecResult r = run("pwd; cat; echo end", Map.of(), MINUTE);
    assertEquals(Path.of("").toAbsolutePath() + "\nend\n", new String(r.outputTail(), StandardCharsets.UTF_8));
  }

  @Test
  void onlyTheTailOfALongOutputIsKeptButEveryByteIsCounted() throws Exception {
    HostExecResult r = run("i=0; while [ $i -lt 20000 ]; do echo \"line $i\"; i=$((i+1)); done", Map.of(), MINUTE);
    assertEquals(HostExecResult.TAIL_BYTES, r.outputTail().length);
    assertTrue(r.outputBytes() > HostExecResult.TAIL_BYTES, Long.toString(r.outputBytes()));
    assertEquals("line 19998 | line 19999", r.lastLines(2, 300));
  }

  /**
   * A suite that opens /dev/stderr anew (tee /dev/stderr) truncates the output file, as it
   * would any log it is redirected to; appending keeps what follows free of the NUL bytes a
   * write at the old offset would leave.
   */
  @Test
  void aSuiteThatReopensStderrLeavesNoHoleInWhatFollows() throws Exception {
    HostExecResult r = run("echo before; echo again | tee /dev/stderr >/dev/null; echo after", Map.of(), MINUTE);
    assertEquals("again\nafter\n", new String(r.outputTail(), StandardCharsets.UTF_8));
  }

  @Test
  void aCommandPastItsLimitIsKilledWithWhatItStarted() throws Exception {
    Path marker = tmp.resolve("child-survived");
    HostExecResult r = run("(sleep 3; touch " + marker + ") & sleep 60", Map.of(), Duration.ofMillis(300));
    assertTrue(r.timedOut());
    assertEquals(-1, r.exitCode());
    assertEquals("no exit within 0s (killed)", r.describeEnd(Duration.ofMillis(300)));
    // the subshell was killed with the shell: it never wakes to leave its marker
    ProcessHandle.current().descendants().forEach(p -> assertFalse(p.info().command().orElse("").endsWith("sleep"),
        "a sleep of the command is still running: " + p.info()));
  }

  @Test
  void aLongLastLineIsCutFromItsStart() {
    HostExecResult r = new HostExecResult(1, ("x".repeat(400) + "END\n").getBytes(StandardCharsets.UTF_8), 404,
        Duration.ZERO, false);
    String said = r.lastLines(3, 50);
    assertEquals(50, said.length());
    assertTrue(said.startsWith("...") && said.endsWith("END"), said);
  }

  @Test
  void aCommandThatCannotStartIsAnIoError() {
    ShellHostCommands nowhere = new ShellHostCommands();
    assertThrows(java.io.IOException.class, () -> nowhere.run(HostExecCommand.parse("true"), Map.of(), MINUTE,
        tmp.resolve("no-such-dir").resolve("out.log")));
  }

  @Test
  void stopRunningWithNothingRunningDoesNothing() {
    shell.stopRunning();
  }

  @Test
  void emptyCommandsAreRefused() {
    assertEquals("empty command", assertThrows(IllegalArgumentException.class, () -> HostExecCommand.parse(" \t"))
        .getMessage());
    assertEquals("HOST-EXEC npm test", HostExecCommand.parse("  npm test ").describe());
    assertEquals(java.util.List.of("/bin/sh", "-c", "npm test"), HostExecCommand.parse("npm test").argv());
  }
}
