package io.minify.sensor.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real gate code on the host. The shipped binary hard-codes /.minify/release, so
 * these tests use the test variant built from the same source with GATE_FIFO_FROM_ARGV
 * (argv[1] is the FIFO), pointed at a real {@link StartGate}'s FIFO.
 */
class StartGateIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path parent;
  private StartGate gate;

  @BeforeEach
  void createGate() throws IOException {
    gate = StartGate.create(parent);
  }

  @AfterEach
  void closeGate() {
    gate.close();
  }

  private Process startGated(Path workDir, String... command) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(System.getProperty("minify.gate.test.binary", "target/gate-test/minify-gate-test"));
    argv.add(gate.hostDirectory().resolve(StartGate.FIFO_NAME).toString());
    argv.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile());
    pb.environment().put("MINIFY_GATE_TEST_VAR", "kept");
    return pb.start();
  }

  private static String stdout(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String stderr(Process p) throws IOException {
    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static int exit(Process p) throws InterruptedException {
    assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "gate did not exit");
    return p.exitValue();
  }

  @Test
  void blocksUntilReleasedThenExecsWithSameArgvEnvAndCwd() throws Exception {
    Process p = startGated(parent, "sh", "-c", "echo \"$0|$1|$MINIFY_GATE_TEST_VAR|$(pwd)\"", "zero", "one");
    assertFalse(p.waitFor(500, TimeUnit.MILLISECONDS), "the gate must hold the command until released");
    gate.release(WAIT);
    assertEquals(0, exit(p));
    assertEquals("zero|one|kept|" + parent.toRealPath() + "\n", stdout(p));
  }

  @Test
  void releaseWaitsForAGateThatStartsLate() throws Exception {
    Process[] late = new Process[1];
    Thread starter = new Thread(() -> {
      try {
        Thread.sleep(300); // the delay is the case under test: a container that reaches the gate late
        late[0] = startGated(parent, "true");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    starter.start();
    gate.release(WAIT);
    starter.join();
    assertEquals(0, exit(late[0]));
  }

  @Test
  void fifoDoesNotLeakIntoTheCommand() throws Exception {
    Process p = startGated(parent, "sh", "-c", "ls -l /proc/$$/fd/");
    gate.release(WAIT);
    assertEquals(0, exit(p));
    String fds = stdout(p);
    assertTrue(fds.contains(" 0 -> "), fds);
    assertFalse(fds.contains(StartGate.FIFO_NAME), "FIFO fd leaked: " + fds);
  }

  @Test
  void commandNotFoundExits127() throws Exception {
    Process p = startGated(parent, "no-such-command-minify");
    gate.release(WAIT);
    assertEquals(127, exit(p));
    assertEquals("minify-gate: cannot exec no-such-command-minify: No such file or directory\n", stderr(p));
  }

  @Test
  void notExecutableExits126() throws Exception {
    Path file = Files.writeString(parent.resolve("data.txt"), "not a program");
    Process p = startGated(parent, file.toString());
    gate.release(WAIT);
    assertEquals(126, exit(p));
    assertEquals("minify-gate: cannot exec " + file + ": Permission denied\n", stderr(p));
  }

  @Test
  void scriptWithoutShebangIsNotRunByAShellLikeTheEngine() throws Exception {
    Path script = Files.writeString(parent.resolve("script"), "echo should-not-run\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process p = startGated(parent, script.toString());
    gate.release(WAIT);
    assertEquals(126, exit(p));
    assertEquals("", stdout(p));
    assertTrue(stderr(p).contains("Exec format error"));
  }

  @Test
  void abortExits125WithoutRunningTheCommand() throws Exception {
    Process p = startGated(parent, "sh", "-c", "echo ran");
    assertTrue(gate.abort(WAIT));
    assertEquals(125, exit(p));
    assertEquals("", stdout(p));
    assertEquals("minify-gate: aborted: the host closed the start gate without releasing it\n", stderr(p));
  }

  @Test
  void shippedGateWithoutArgumentsIsAUsageError() throws Exception {
    Path shipped = gate.hostDirectory().resolve(StartGate.GATE_NAME);
    Process p = new ProcessBuilder(shipped.toString()).start();
    assertEquals(125, exit(p));
    assertTrue(stderr(p).startsWith("minify-gate: usage: minify-gate COMMAND"));
  }

  @Test
  void shippedGateWithoutTheMountExits125() throws Exception {
    // On the host there is no /.minify, so the shipped gate cannot open its FIFO.
    Path shipped = gate.hostDirectory().resolve(StartGate.GATE_NAME);
    Process p = new ProcessBuilder(shipped.toString(), "true").start();
    assertEquals(125, exit(p));
    assertEquals("minify-gate: cannot open /.minify/release: No such file or directory\n", stderr(p));
  }
}
