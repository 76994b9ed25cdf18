package io.minify.sensor.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import io.minify.sensor.gate.StartGate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code minify-sensor} binary against real gated containers: needs root (the
 * sensor's CAP_SYS_ADMIN and CAP_SYS_PTRACE) and a Docker engine with {@code minify-base:bookworm}.
 * The sensor runs as a host process here (root has both capabilities); inside the engine it
 * runs the same code in a container started with {@code --pid=host}. The start gate is the
 * real one ({@link StartGate#create}: the packaged {@code minify-gate} and its FIFO), so the
 * sensor's release of the gate is exercised too. Every container is created by the test and
 * removed after it.
 */
class SensorBinaryIT {

  private static final String IMAGE = "minify-base:bookworm";
  private static final String SENSOR_RESOURCE = "/io/minify/sensor/remote/minify-sensor";

  @TempDir Path temp;
  private Path sensor;
  private final List<String> containers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void copySensor() throws IOException {
    sensor = temp.resolve("minify-sensor");
    try (InputStream in = SensorBinaryIT.class.getResourceAsStream(SENSOR_RESOURCE)) {
      assertTrue(in != null, SENSOR_RESOURCE + " is on the classpath (built by the pom from src/main/c)");
      Files.copy(in, sensor, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(sensor, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (String container : containers) {
      docker("rm", "-f", container);
    }
  }

  @Test
  void watchesAGatedContainerFromItsFirstExec() throws Exception {
    try (StartGate gate = StartGate.create(temp)) {
      String container = createGated(gate, List.of("/bin/cat", "/etc/os-release"));
      docker("start", container);
      SensorRun run = new SensorRun("watch", pidOf(container));
      assertEquals("armed", run.awaitFirstLine());
      assertEquals("0", docker("wait", container).strip());
      assertTrue(docker("logs", container).contains("PRETTY_NAME="), "cat ran after the release");
      run.stop();
      assertEquals(0, run.exitCode(), run.stderr());
      AccessLog log = run.output().log();

      // /etc/os-release and /bin/cat are symlinks in Debian 12: the kernel reports their targets.
      assertTrue(log.files().contains(UnixPath.of("/usr/lib/os-release")), log.toString());
      assertFalse(log.executed().contains(UnixPath.of("/usr/lib/os-release")), log.toString());
      assertTrue(log.files().contains(UnixPath.of("/usr/bin/cat")), log.toString());
      assertTrue(log.executed().contains(UnixPath.of("/usr/bin/cat")), log.toString());
      Optional<UnixPath> loader = log.executed().stream().filter(p -> p.nameStartsWith("ld-linux")).findFirst();
      assertTrue(loader.isPresent(), "the ELF interpreter the kernel loaded: " + log);
      assertTrue(log.files().contains(loader.get()), log.toString());
      assertTrue(log.files().stream().anyMatch(p -> p.nameEquals("libc.so.6")), log.toString());
      assertTrue(log.files().stream().noneMatch(p -> p.isSameOrBelow(UnixPath.of(StartGate.CONTAINER_DIR))),
          "the gate and its FIFO live on a bind mount, not on the watched mount: " + log);
      assertTrue(log.events() >= log.files().size(), log.toString());
    }
  }

  @Test
  void bytesOfNamesDeletedFilesDirectoriesAndWritesComeThrough() throws Exception {
    // The sensor is stopped (SIGSTOP) while the app works, so the app has removed /tmp/gone
    // before the sensor reads its event: the kernel then reports "/tmp/gone (deleted)".
    String script = "sleep 1; n=$(printf '/tmp/bad\\377.txt'); echo x > \"$n\"; cat \"$n\" > /dev/null;"
        + " echo y > /tmp/gone; rm /tmp/gone; echo z > '/tmp/kept (deleted)'; ls / > /dev/null";
    try (StartGate gate = StartGate.create(temp)) {
      String container = createGated(gate, List.of("/bin/sh", "-c", script));
      docker("start", container);
      SensorRun run = new SensorRun("watch", pidOf(container));
      assertEquals("armed", run.awaitFirstLine());
      signal("STOP", run.process.pid());
      assertEquals("0", docker("wait", container).strip(), docker("logs", container));
      signal("CONT", run.process.pid());
      run.stop();
      assertEquals(0, run.exitCode(), run.stderr());
      AccessLog log = run.output().log();

      byte[] bad = "/tmp/bad\u00ff.txt".getBytes(StandardCharsets.ISO_8859_1); // 0xff as one byte
      assertTrue(log.files().contains(UnixPath.ofBytes(bad)), log.toString());
      assertTrue(log.written().contains(UnixPath.ofBytes(bad)), log.toString());
      assertTrue(log.files().contains(UnixPath.of("/tmp/gone")), "deleted before it was read: " + log);
      assertFalse(log.files().contains(UnixPath.of("/tmp/gone (deleted)")), log.toString());
      assertTrue(log.written().contains(UnixPath.of("/tmp/gone")), log.toString());
      assertTrue(log.files().contains(UnixPath.of("/tmp/kept (deleted)")), "a name that only looks deleted: " + log);
      assertTrue(log.directories().contains(UnixPath.ROOT), "ls / opened the root: " + log);
      assertFalse(log.files().contains(UnixPath.ROOT), log.toString());
      for (String program : List.of("/usr/bin/dash", "/usr/bin/sleep", "/usr/bin/cat", "/usr/bin/rm", "/usr/bin/ls")) {
        assertTrue(log.executed().contains(UnixPath.of(program)), program + ": " + log.executed());
      }
    }
  }

  /**
   * The kernel opens one fd per event it hands over, and an event whose open fails is dropped
   * from a read that returns the others, without a word (unless FAN_REPORT_FD_ERROR, Linux
   * 6.13). With 8 fds the sensor can take only a few events per read; it must read no more
   * than it can open, and report every file.
   */
  @Test
  void aLowFileLimitLosesNothing() throws Exception {
    List<String> files = List.of("/usr/lib/os-release", "/etc/passwd", "/etc/group", "/etc/shells", "/etc/issue",
        "/etc/debian_version", "/etc/host.conf", "/etc/nsswitch.conf");
    String script = "sleep 1; cat " + String.join(" ", files) + " > /dev/null";
    try (StartGate gate = StartGate.create(temp)) {
      String container = createGated(gate, List.of("/bin/sh", "-c", script));
      docker("start", container);
      SensorRun run = new SensorRun(List.of("prlimit", "--nofile=8:8"), "watch", pidOf(container));
      assertEquals("armed", run.awaitFirstLine(), run.stderr());
      signal("STOP", run.process.pid()); // so the events queue up and are read in one drain
      assertEquals("0", docker("wait", container).strip(), docker("logs", container));
      signal("CONT", run.process.pid());
      run.stop();
      assertEquals(0, run.exitCode(), run.stderr());
      AccessLog log = run.output().log();
      for (String file : files) {
        assertTrue(log.files().contains(UnixPath.of(file)), file + ": " + log.files());
      }
    }
  }

  @Test
  void aProcessThatIsGoneIsAnErrorBeforeArmed() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    SensorRun run = new SensorRun("watch", String.valueOf(gone.pid()));
    run.finish();
    assertEquals(1, run.exitCode());
    assertFalse(run.output().armed());
    String error = run.output().error().orElseThrow();
    assertTrue(error.startsWith("cannot pin process " + gone.pid() + ": No such file or directory"), error);
  }

  /**
   * An image that puts a symlink (or a file) where the gate's FIFO should be never makes the
   * sensor write to a host file: the FIFO is looked up inside the container's root. The host
   * FIFO here has a reader waiting, so a sensor that followed the link out would succeed.
   */
  @Test
  void aHostileReleasePathNeverLeadsOutOfTheContainer() throws Exception {
    Path hostFifo = temp.resolve("host-fifo");
    run(List.of("mkfifo", "-m", "0666", hostFifo.toString()));
    Process reader = new ProcessBuilder("cat", hostFifo.toString()).start();
    processes.add(reader);
    String container = "minify-it-sensor-" + UUID.randomUUID();
    docker("run", "-d", "--name", container, "--network", "none", IMAGE, "sleep", "120");
    containers.add(container);
    docker("exec", container, "mkdir", "/.minify");
    String pid = pidOf(container);

    int depth = hostFifo.getNameCount();
    for (String target : List.of(hostFifo.toString(), "../".repeat(depth + 2) + hostFifo.toString().substring(1))) {
      docker("exec", container, "ln", "-sfn", target, "/.minify/release");
      SensorRun run = new SensorRun("watch", pid);
      run.finish();
      assertEquals(1, run.exitCode(), target);
      String error = run.output().error().orElseThrow();
      assertEquals("cannot open the start gate /.minify/release in the root of process " + pid
          + ": No such file or directory", error, target);
    }
    docker("exec", container, "sh", "-c", "rm /.minify/release && echo keep > /.minify/release");
    SensorRun run = new SensorRun("watch", pid);
    run.finish();
    assertEquals(1, run.exitCode());
    assertEquals("/.minify/release in the root of process " + pid + " is not a FIFO: not releasing it",
        run.output().error().orElseThrow());
    assertEquals("keep\n", docker("exec", container, "cat", "/.minify/release"));

    assertTrue(reader.isAlive(), "nothing opened the host FIFO for writing");
  }

  @Test
  void sigcgtPrintsTheMaskOfCaughtSignals() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    processes.add(sleeper);
    assertEquals("sigcgt 0000000000000000\n", run(List.of(sensor.toString(), "sigcgt", String.valueOf(sleeper.pid()))));
    String jvm = run(List.of(sensor.toString(), "sigcgt", String.valueOf(ProcessHandle.current().pid()))).strip();
    assertTrue(jvm.matches("sigcgt [0-9a-f]{16}"), jvm);
    long mask = Long.parseUnsignedLong(jvm.substring("sigcgt ".length()), 16);
    assertTrue((mask & (1L << (15 - 1))) != 0, "the JVM catches SIGTERM: " + jvm);
  }

  @Test
  void aWrongCommandLineIsUsageWithExitCode2() throws Exception {
    for (List<String> args : List.of(List.<String>of(), List.of("watch"), List.of("peek", "1"), List.of("watch", "1", "2"))) {
      List<String> command = new ArrayList<>(List.of(sensor.toString()));
      command.addAll(args);
      Process p = new ProcessBuilder(command).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue(), args.toString());
      assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
      assertTrue(new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("usage:"));
    }
    SensorRun notAPid = new SensorRun("watch", "12x");
    notAPid.finish();
    assertEquals(1, notAPid.exitCode());
    assertEquals(Optional.of("not a process id: 12x"), notAPid.output().error());
  }

  /** A container whose entrypoint is the gate, holding {@code command} until the sensor releases it. */
  private String createGated(StartGate gate, List<String> command) throws Exception {
    String name = "minify-it-sensor-" + UUID.randomUUID();
    List<String> wrapped = gate.wrap(command);
    List<String> args = new ArrayList<>(List.of("create", "--name", name, "--network", "none",
        "--entrypoint", wrapped.get(0), "-v", gate.hostDirectory() + ":" + StartGate.CONTAINER_DIR + ":ro", IMAGE));
    args.addAll(wrapped.subList(1, wrapped.size()));
    docker(args.toArray(String[]::new));
    containers.add(name);
    return name;
  }

  private static String pidOf(String container) throws Exception {
    String pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip();
    assertTrue(pid.matches("[1-9][0-9]*"), "running: " + pid);
    return pid;
  }

  private static void signal(String name, long pid) throws Exception {
    run(List.of("kill", "-" + name, String.valueOf(pid)));
  }

  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /** The sensor as a host process, its stdout parsed as it comes (as minify would from the engine's stream). */
  private final class SensorRun {
    final Process process;
    private final Path stderrFile;
    private final SensorOutput output = new SensorOutput();
    private final CountDownLatch firstLineRead = new CountDownLatch(1);
    private volatile String firstLine;
    private final Thread reader;
    private volatile IOException readFailure;

    SensorRun(String... args) throws IOException {
      this(List.of(), args);
    }

    /** The sensor run by {@code launcher} ({@code prlimit ...}), or directly when it is empty. */
    SensorRun(List<String> launcher, String... args) throws IOException {
      List<String> command = new ArrayList<>(launcher);
      command.add(sensor.toString());
      command.addAll(List.of(args));
      stderrFile = Files.createTempFile(temp, "sensor-", ".err");
      process = new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
      processes.add(process);
      reader = new Thread(this::read, "sensor-stdout");
      reader.start();
    }

    private void read() {
      try (InputStream in = process.getInputStream();
          LineSplitter splitter = new LineSplitter(line -> {
            if (firstLine == null) {
              firstLine = new String(line, StandardCharsets.US_ASCII);
              firstLineRead.countDown();
            }
            output.accept(line);
          })) {
        in.transferTo(splitter);
      } catch (IOException e) {
        readFailure = e;
      } finally {
        firstLineRead.countDown();
      }
    }

    String awaitFirstLine() throws Exception {
      assertTrue(firstLineRead.await(20, TimeUnit.SECONDS), "the sensor printed nothing within 20 s");
      return firstLine;
    }

    /**
     * SIGTERM: the sensor drains once more and prints its end line. Through the handle:
     * Process.destroy() would also close our end of its stdout before the end line is read.
     */
    void stop() throws Exception {
      assertTrue(process.toHandle().destroy(), "SIGTERM sent");
      finish();
    }

    void finish() throws Exception {
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the sensor did not exit");
      reader.join(10_000);
      assertFalse(reader.isAlive());
      if (readFailure != null) {
        throw readFailure;
      }
    }

    int exitCode() {
      return process.exitValue();
    }

    String stderr() throws IOException {
      return Files.readString(stderrFile);
    }

    /** After {@link #finish()} only (the reader thread has ended). */
    SensorOutput output() {
      return output;
    }
  }
}
