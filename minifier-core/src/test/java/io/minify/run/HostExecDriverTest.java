package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.ExecResult;
import io.minify.engine.UnusedContainerRuntime;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import io.minify.verify.LoosePaths;
import io.minify.verify.ProbeComparison;
import io.minify.verify.ResponseComparator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code --host-exec} commands in the probe and replay order, with a container, a prober
 * and a host shell of our own: when they run, what they are told, what the original's run
 * must not be, and the rerun that tells a flaky test from a slim image that breaks it.
 */
class HostExecDriverTest {

  private static final int PORT = 8080;
  private static final Path OUTPUT = Path.of("build-work-dir"); // the fake shell only names files in it

  private final VirtualClock clock = new VirtualClock();
  /** What happened, in order: HTTP requests, TCP connects, execs, host-exec runs. */
  private final List<String> events = new ArrayList<>();
  /** The exit codes the host's "suite" gives, run after run; 0 once they are used up. */
  private final Deque<HostExecResult> answers = new ArrayDeque<>();
  private final List<Map<String, String>> environments = new ArrayList<>();
  private final List<Path> outputFiles = new ArrayList<>();
  private IOException cannotStart;

  private final HostCommands shell = new HostCommands() {
    @Override
    public HostExecResult run(HostExecCommand command, Map<String, String> env, Duration timeout, Path outputFile)
        throws IOException {
      if (cannotStart != null) {
        throw cannotStart;
      }
      events.add("host-exec " + command.text() + " within " + timeout.toSeconds() + "s");
      environments.add(env);
      outputFiles.add(outputFile);
      return answers.isEmpty() ? result(0, "ok") : answers.poll();
    }

    @Override
    public void stopRunning() {}
  };

  private static HostExecResult result(int exitCode, String output) {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    return new HostExecResult(exitCode, bytes, bytes.length, Duration.ofMillis(5), false);
  }

  private final class Containers extends UnusedContainerRuntime {
    private final int hostPort;

    Containers(int hostPort) {
      this.hostPort = hostPort;
    }

    @Override
    public String createContainer(ContainerSpec spec) {
      return "c".repeat(64);
    }

    @Override
    public void startContainer(String containerId) {}

    @Override
    public ContainerState containerState(String containerId) {
      return new ContainerState(true, 4242, 0, "");
    }

    @Override
    public Map<Integer, Integer> publishedPorts(String containerId) {
      return Map.of(PORT, hostPort);
    }

    @Override
    public List<String> logTail(String containerId, int lines) {
      return List.of("app log");
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
      events.add("exec " + String.join(" ", command));
      return new ExecResult(0, new byte[0], Duration.ZERO, false);
    }
  }

  private final HttpProber prober = new HttpProber() {
    @Override
    public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
      return fetch(probe, hostPort, retry, 0).result();
    }

    @Override
    public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
      synchronized (events) {
        events.add("http " + probe.path());
      }
      return new HttpFetch(new ProbeResult(probe, HttpProtocol.HTTP, 200, 2, "ab", Duration.ofMillis(1), 1, null),
          "text/plain", "", "ab".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {}
  };

  private final TcpProber tcp = (probe, hostPort, attempts, wait, timeout) -> {
    events.add("tcp " + hostPort);
    return new TcpProbeResult(probe, true, true, 0, Duration.ZERO, 1, null, new byte[0]);
  };

  private static ProbeSettings settings(boolean http, List<String> hostExecs) {
    return new ProbeSettings(http, List.of(), List.of(), Duration.ofSeconds(10), Duration.ZERO, 0, Duration.ZERO,
        Duration.ofSeconds(2), null, null, List.of(), List.of(), List.of(ExecCommand.parse("touch /tmp/seed")),
        ContinueAfter.parse("host-exec"))
        .withHostExecs(hostExecs.stream().map(HostExecCommand::parse).toList(), Duration.ofSeconds(30));
  }

  private ProbeDriver driver(ProbeSettings settings, Containers containers) {
    return new ProbeDriver(prober, tcp, containers, settings, new StopWaiter(new PrintWriter(new StringWriter()), clock),
        clock, ListeningSockets.unknown(), new HostExecs(shell, OUTPUT));
  }

  private static RunningContainer started(Containers containers) {
    RunningContainer c = RunningContainer.create(containers,
        new ContainerSpec("app:1", List.of(), Map.of(), List.of(PORT), Map.of()));
    c.start();
    return c;
  }

  private ProbeRecording probeOriginal(ProbeSettings settings) throws BuildException {
    Containers original = new Containers(30001);
    List<PlannedProbe> plan = settings.http() ? List.of(PlannedProbe.of(HttpProbe.get(PORT, "/"), ProbeSource.DEFAULT))
        : List.of();
    return driver(settings, original).probeOriginal(started(original), plan);
  }

  @Test
  void hostExecsRunLastOnceThePortsAcceptWithTheTargetInTheirEnvironment() throws Exception {
    ProbeRecording r = probeOriginal(settings(true, List.of("./suite.sh", "pytest tests/api")));
    List<String> order = events.stream().filter(e -> !e.startsWith("http")).toList();
    assertEquals(List.of("tcp 30001", "exec /bin/sh -c touch /tmp/seed", "host-exec ./suite.sh within 30s",
        "host-exec pytest tests/api within 30s"), order, "after the HTTP probes, readiness and the execs");
    assertTrue(events.indexOf("http /") < events.indexOf("tcp 30001"), events.toString());
    assertEquals(Map.of("MINIFY_TARGET_HOST", "127.0.0.1", "MINIFY_TARGET_PORT_8080", "30001",
        "MINIFY_TARGET_PORT", "30001", "MINIFY_TARGET_URL", "http://127.0.0.1:30001"), environments.get(0));
    assertEquals(List.of(OUTPUT.resolve("host-exec-1-original.log"), OUTPUT.resolve("host-exec-2-original.log")),
        outputFiles);
    assertEquals(2, r.hostExec().size());
    assertEquals(List.of(8080), r.readyPorts());
    assertEquals(1 + 1 + 2, r.size(), "GET /, the exec and two host-execs");
    assertEquals("host-exec", r.continuedAfter().label());
  }

  @Test
  void aHostExecAloneDrivesTheAppWithoutHttpProbing() throws Exception {
    answers.add(result(1, "1 failed"));
    ProbeRecording r = probeOriginal(settings(false, List.of("./suite.sh")));
    assertFalse(events.stream().anyMatch(e -> e.startsWith("http")), events.toString());
    assertEquals(1, r.hostExec().get(0).result().exitCode(), "a failing suite is recorded: the slim one must fail so");
  }

  @Test
  void commandNotFoundOnTheOriginalIsBadInputNamingTheCommand() {
    answers.add(result(127, "sh: 1: pytets: not found"));
    BuildException e = assertThrows(BuildException.class, () -> probeOriginal(settings(true, List.of("pytets"))));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertEquals("--host-exec 'pytets' exited with 127 on the original image: the shell found no such command:"
        + " sh: 1: pytets: not found", e.getMessage());
  }

  @Test
  void aProgramThatCannotRunOnTheOriginalIsBadInputToo() {
    answers.add(result(126, "sh: 1: ./suite.sh: Permission denied"));
    BuildException e = assertThrows(BuildException.class, () -> probeOriginal(settings(true, List.of("./suite.sh"))));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("could not run a program it names (not executable?)"), e.getMessage());
  }

  @Test
  void aSuiteThatDoesNotFinishOnTheOriginalFailsTheBuildSayingWhichOptionToRaise() {
    answers.add(new HostExecResult(-1, "test_slow ...".getBytes(StandardCharsets.UTF_8), 13, Duration.ofSeconds(30),
        true));
    BuildException e = assertThrows(BuildException.class, () -> probeOriginal(settings(true, List.of("./suite.sh"))));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("--host-exec './suite.sh' did not finish within 30s on the original image (raise"
        + " --host-exec-timeout): test_slow ...", e.getMessage());
    assertEquals(List.of("app log"), e.containerLog());
  }

  @Test
  void aShellThatCannotStartIsTheEnvironments() {
    cannotStart = new IOException("Cannot run program \"/bin/sh\": error=2, No such file or directory");
    BuildException e = assertThrows(BuildException.class, () -> probeOriginal(settings(true, List.of("./suite.sh"))));
    assertEquals(FailureKind.ENVIRONMENT, e.kind());
    assertTrue(e.getMessage().startsWith("--host-exec './suite.sh' could not be started: Cannot run"), e.getMessage());
  }

  @Test
  void aDriverGivenHostExecsWithoutAShellIsABug() {
    Containers c = new Containers(30001);
    assertThrows(IllegalArgumentException.class, () -> new ProbeDriver(prober, tcp, c,
        settings(true, List.of("true")), new StopWaiter(new PrintWriter(new StringWriter()), clock), clock));
  }

  @Test
  void theReplayTellsTheSuiteTheSlimContainersOwnPortsAndRunsOnceWhenItEndsTheSame() throws Exception {
    ProbeSettings settings = settings(true, List.of("./suite.sh"));
    ProbeRecording original = probeOriginal(settings);
    environments.clear();
    Containers slim = new Containers(30777);
    Replay replay = driver(settings, slim).replay(started(slim), original);
    assertEquals("30777", environments.get(0).get("MINIFY_TARGET_PORT_8080"));
    assertEquals("http://127.0.0.1:30777", environments.get(0).get("MINIFY_TARGET_URL"));
    assertEquals(1, replay.hostExec().get(0).runs().size());
    List<ProbeComparison> c = ResponseComparator.compare(original, replay, LoosePaths.none());
    ProbeComparison host = c.get(c.size() - 1);
    assertTrue(host.matches(), host.toString());
    assertEquals("HOST-EXEC ./suite.sh", host.probe());
  }

  @Test
  void aDifferentExitCodeOnTheSlimImageIsConfirmedByARerunAndNamesBothCodesAndTheOutput() throws Exception {
    ProbeSettings settings = settings(true, List.of("./suite.sh"));
    ProbeRecording original = probeOriginal(settings);
    outputFiles.clear();
    answers.add(result(1, "test_lazy FAILED\n1 failed, 2 passed\n"));
    answers.add(result(1, "collected 3 items\ntest_lazy FAILED\n1 failed, 2 passed\n"));
    Containers slim = new Containers(30777);
    Replay replay = driver(settings, slim).replay(started(slim), original);
    assertEquals(2, replay.hostExec().get(0).runs().size());
    assertEquals(List.of(OUTPUT.resolve("host-exec-1-replay.log"), OUTPUT.resolve("host-exec-1-rerun.log")),
        outputFiles);
    List<ProbeComparison> c = ResponseComparator.compare(original, replay, LoosePaths.none());
    ProbeComparison host = c.get(c.size() - 1);
    assertFalse(host.matches());
    assertEquals(0, host.originalStatus());
    assertEquals(1, host.slimStatus());
    assertEquals("exit code 1 on the slim image, 0 on the original (the same on a rerun, so not a flaky test);"
        + " its output ended: collected 3 items | test_lazy FAILED | 1 failed, 2 passed", host.difference());
  }

  @Test
  void aFlakyTestThatPassesOnTheRerunMatches() throws Exception {
    ProbeSettings settings = settings(true, List.of("./suite.sh"));
    ProbeRecording original = probeOriginal(settings);
    answers.add(result(1, "test_timing FAILED"));
    answers.add(result(0, "3 passed"));
    Containers slim = new Containers(30777);
    Replay replay = driver(settings, slim).replay(started(slim), original);
    HostExecOutcome h = replay.hostExec().get(0);
    assertTrue(h.rerun());
    assertEquals(1, h.runs().get(0).exitCode());
    List<ProbeComparison> c = ResponseComparator.compare(original, replay, LoosePaths.none());
    assertTrue(c.get(c.size() - 1).matches());
  }

  @Test
  void aSlimRunPastTheLimitIsADifferenceEvenWithTheSameCode() throws Exception {
    ProbeSettings settings = settings(true, List.of("./suite.sh"));
    ProbeRecording original = probeOriginal(settings);
    HostExecResult hung = new HostExecResult(-1, new byte[0], 0, Duration.ofSeconds(30), true);
    answers.add(hung);
    answers.add(hung);
    Containers slim = new Containers(30777);
    Replay replay = driver(settings, slim).replay(started(slim), original);
    List<ProbeComparison> c = ResponseComparator.compare(original, replay, LoosePaths.none());
    assertEquals("no exit within the --host-exec-timeout on the slim image, 0 on the original (the same on a rerun,"
        + " so not a flaky test); no output", c.get(c.size() - 1).difference());
  }

  @Test
  void aSecondRunOfTheOriginalForBodiesDoesNotRunTheSuiteAgain() throws Exception {
    ProbeSettings settings = settings(true, List.of("./suite.sh"));
    ProbeRecording original = probeOriginal(settings);
    long before = events.stream().filter(e -> e.startsWith("host-exec")).count();
    Containers again = new Containers(30888);
    Replay replay = driver(settings, again).replay(started(again), original.withoutHostExecs());
    assertEquals(List.of(), replay.hostExec());
    assertEquals(before, events.stream().filter(e -> e.startsWith("host-exec")).count());
  }

  @Test
  void continueAfterHostExecParsesAndPrintsAsTyped() {
    ContinueAfter after = ContinueAfter.parse("Host-Exec");
    assertEquals(ContinueAfter.Mode.HOST_EXEC, after.mode());
    assertEquals("host-exec", after.toString());
    assertFalse(after.waitsBeyondProbes());
  }
}
