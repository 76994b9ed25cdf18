package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.UnusedContainerRuntime;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.LimitReached;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the user's error line says when a probed port gives no answer: which limit a request
 * ran into (a slow route, an endless stream, a body too big), or that the app listens on its
 * loopback address alone, or else the last error. A prober, an engine and the container's
 * sockets of our own; no network.
 */
class ProbeDriverTest {

  private static final int PORT = 8080;
  private static final Duration LIMIT = Duration.ofSeconds(2);
  private static final long CAP = HttpProber.MAX_BODY_BYTES;
  private static final String SLOW_HINT = " (a slow route? raise --http-probe-request-timeout)";

  /** Policies the prober was handed: every one must carry the request limit of the settings. */
  private final List<HttpProber.RetryPolicy> policies = java.util.Collections.synchronizedList(new ArrayList<>());
  /** The driver's waits: they pass at once, and {@link VirtualClock#elapsed()} says how long they were. */
  private final VirtualClock clock = new VirtualClock();

  private static ProbeSettings settings(Duration startTimeout) {
    return new ProbeSettings(true, List.of(), List.of(), startTimeout, Duration.ZERO, 0, Duration.ZERO, LIMIT, null,
        null, List.of(), List.of(), List.of(), ContinueAfter.PROBE);
  }

  private static ProbeResult failed(HttpProbe probe, String error, LimitReached limit) {
    return new ProbeResult(probe, null, -1, 0, null, Duration.ofMillis(1), 1,
        "no complete response from 127.0.0.1:30001 after 1 attempt (last: http: " + error + ")", limit);
  }

  private static ProbeResult answered(HttpProbe probe) {
    return new ProbeResult(probe, HttpProtocol.HTTP, 200, 2, "ab", Duration.ofMillis(1), 1, null);
  }

  private static ProbeResult limited(HttpProbe probe, LimitReached limit) {
    return failed(probe, limit.describe(), limit);
  }

  private static ProcNetTcp.Listener listener(String address, int port) throws Exception {
    return new ProcNetTcp.Listener(InetAddress.getByName(address), port);
  }

  /** Probes the original with {@code plan} (GET / alone when empty) and returns the build's failure. */
  private BuildException failure(Function<HttpProbe, ProbeResult> app, ListeningSockets sockets,
      Duration startTimeout, List<PlannedProbe> plan) {
    FakeContainers containers = new FakeContainers();
    HttpProber prober = new HttpProber() {
      @Override
      public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
        return fetch(probe, hostPort, retry, 0).result();
      }

      @Override
      public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
        policies.add(retry);
        return new HttpFetch(app.apply(probe), "text/plain", "", new byte[0]);
      }

      @Override
      public void close() {}
    };
    // nothing accepts a bare TCP connection: the port is not one of another protocol
    TcpProber tcp = (probe, hostPort, attempts, wait, timeout) -> new TcpProbeResult(probe, false, false, 0,
        Duration.ZERO, 1, "connection refused", new byte[0]);
    ProbeDriver driver = new ProbeDriver(prober, tcp, containers, settings(startTimeout),
        new StopWaiter(new PrintWriter(new StringWriter()), clock), clock, sockets);
    RunningContainer container = RunningContainer.create(containers,
        new ContainerSpec("app:1", List.of(), Map.of(), List.of(PORT), Map.of()));
    container.start();
    List<PlannedProbe> probes = plan.isEmpty() ? List.of(PlannedProbe.of(HttpProbe.get(PORT, "/"), ProbeSource.DEFAULT))
        : plan;
    BuildException e = assertThrows(BuildException.class, () -> driver.probeOriginal(container, probes));
    assertEquals(FailureKind.BUILD_FAILED, e.kind(), e.getMessage());
    assertEquals(List.of("app log"), e.containerLog());
    return e;
  }

  private BuildException readinessFailure(Function<HttpProbe, ProbeResult> app, ListeningSockets sockets) {
    return failure(app, sockets, Duration.ofSeconds(1), List.of());
  }

  @Test
  void aSlowRouteSaysNoHeadersCameWithinTheLimitAndHowToRaiseIt() {
    BuildException e = readinessFailure(p -> limited(p, LimitReached.noHeaders(LIMIT, CAP)),
        ListeningSockets.unknown());
    assertEquals("port 8080 gave no complete answer to GET / in 1s: no response headers within 2 s" + SLOW_HINT,
        e.getMessage());
    assertTrue(policies.stream().allMatch(p -> p.requestTimeout().equals(LIMIT)), policies.toString());
  }

  @Test
  void anEndlessStreamSaysItsStatusAndHowMuchOfItsBodyCame() {
    BuildException e = readinessFailure(p -> limited(p, LimitReached.bodyUnfinished(200, 1200, LIMIT, CAP)),
        ListeningSockets.unknown());
    assertEquals("port 8080 gave no complete answer to GET / in 1s: status 200 and 1200 bytes of body, still streaming"
        + " after 2 s", e.getMessage());
  }

  @Test
  void headersWithoutABodyAreSlowToo() {
    BuildException e = readinessFailure(p -> limited(p, LimitReached.bodyUnfinished(200, 0, LIMIT, CAP)),
        ListeningSockets.unknown());
    assertEquals("port 8080 gave no complete answer to GET / in 1s: status 200 but no byte of body within 2 s"
        + SLOW_HINT, e.getMessage());
  }

  @Test
  void aBodyTooBigSaysTheCapItPassed() {
    BuildException e = readinessFailure(p -> limited(p, LimitReached.bodyTooBig(200, CAP + 1, LIMIT, CAP)),
        ListeningSockets.unknown());
    assertEquals("port 8080 gave no complete answer to GET / in 1s: status 200 and the body passed 1024 MiB, the most"
        + " a probe reads", e.getMessage());
  }

  @Test
  void anAppListeningOnLoopbackAloneFailsFastSayingSo() throws Exception {
    List<ProcNetTcp.Listener> listening = List.of(listener("127.0.0.1", PORT), listener("0.0.0.0", 9090));
    BuildException e = failure(p -> failed(p, "the connection was closed before any response (server not ready?)",
        null), c -> Optional.of(listening), Duration.ofSeconds(60), List.of());
    assertEquals("port 8080 is listened on only at 127.0.0.1 inside the container, which a published port cannot"
        + " reach: make the app listen on 0.0.0.0", e.getMessage());
    Duration took = clock.elapsed();
    assertTrue(took.compareTo(ProbeDriver.LOOPBACK_STREAK) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
        "after a streak of " + ProbeDriver.LOOPBACK_STREAK + ", not the 60 s start timeout: " + took);
  }

  @Test
  void withoutTheSocketsTheErrorIsTheLastOneSeen() throws Exception {
    String closed = "the connection was closed before any response (server not ready?)";
    BuildException unknown = readinessFailure(p -> failed(p, closed, null), ListeningSockets.unknown());
    assertEquals("port 8080 never answered HTTP within 1s (last error: no complete response from 127.0.0.1:30001"
        + " after 1 attempt (last: http: " + closed + "))", unknown.getMessage());
    // listened on at every address too: the loopback socket is not why
    List<ProcNetTcp.Listener> both = List.of(listener("127.0.0.1", PORT), listener("0.0.0.0", PORT));
    assertTrue(readinessFailure(p -> failed(p, closed, null), c -> Optional.of(both)).getMessage()
        .startsWith("port 8080 never answered HTTP within 1s"));
  }

  @Test
  void loopbackOnlyMeansEverySocketOnThePortIsALoopbackOne() throws Exception {
    assertEquals(List.of("127.0.0.1", "::1"), ProbeDriver.loopbackOnly(List.of(listener("::1", PORT),
        listener("127.0.0.1", PORT), listener("0.0.0.0", 9090)), PORT));
    assertEquals(List.of(), ProbeDriver.loopbackOnly(List.of(listener("127.0.0.1", PORT), listener("::", PORT)), PORT),
        "'::' takes every address, IPv4 ones too");
    assertEquals(List.of(), ProbeDriver.loopbackOnly(List.of(listener("127.0.0.1", 9090)), PORT),
        "nothing listens on the port at all: not started yet, or another port");
    assertEquals(List.of(), ProbeDriver.loopbackOnly(List.of(listener("172.17.0.2", PORT)), PORT));
  }

  @Test
  void aProbeRunningIntoTheLimitSaysWhichLimitAfterReadiness() {
    BuildException e = failure(p -> p.path().equals("/slow") ? limited(p, LimitReached.noHeaders(LIMIT, CAP))
        : answered(p), ListeningSockets.unknown(), Duration.ofSeconds(5), List.of(
            PlannedProbe.of(HttpProbe.get(PORT, "/"), ProbeSource.DEFAULT),
            PlannedProbe.of(HttpProbe.get(PORT, "/slow"), ProbeSource.CMD)));
    assertEquals("probe GET :8080/slow got no complete answer from the original image: no response headers within"
        + " 2 s" + SLOW_HINT, e.getMessage());
    assertTrue(policies.size() >= 3 && policies.stream().allMatch(p -> p.requestTimeout().equals(LIMIT)),
        "readiness and probes alike: " + policies);
  }

  /** One running container, published on 30001; anything else is not for these tests. */
  private static final class FakeContainers extends UnusedContainerRuntime {
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
      return Map.of(PORT, 30001);
    }

    @Override
    public List<String> logTail(String containerId, int lines) {
      return List.of("app log");
    }

    @Override
    public List<ContainerChange> changes(String containerId) {
      return List.of();
    }

    @Override
    public SortedSet<Integer> processUids(String containerId) {
      return new TreeSet<>(List.of(0));
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {}

    @Override
    public void removeContainer(String containerId) {}

    @Override
    public List<String> containersWithLabel(String filter) {
      return List.of();
    }
  }
}
