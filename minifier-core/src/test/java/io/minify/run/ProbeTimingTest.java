package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.UnusedContainerRuntime;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpBody;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.probe.crawl.CrawlLimits;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * When the probes go out, on the {@link VirtualClock}: an app whose every answer takes time of
 * the clock, and which writes down when each request came and went. The second requests
 * overlap the first ones and keep their gap; the crawl gives its pages in crawl order however
 * they come in; the replay sends side by side what may go so, the user's probes one by one;
 * readiness is polled often at first. No test here sleeps.
 */
class ProbeTimingTest {

  private static final int PORT = 8080;
  private static final int HOST_PORT = 30001;
  private static final long GAP = ProbeDriver.STABILITY_GAP.toNanos();

  private final VirtualClock clock = new VirtualClock();

  /** One request as the app saw it: when it came and when its answer went, on the clock. */
  private record Request(String name, long came, long went) {}

  /**
   * The app: HTML pages by path (anything else is a 404), each answer taking {@code latency}
   * of the clock; nothing listens before {@code readyAt}.
   */
  private final class FakeApp implements HttpProber {
    final Map<String, String> pages;
    final ToLongFunction<String> latency;
    volatile long readyAt;
    volatile Runnable onEachRequest = () -> {};
    final List<Request> log = Collections.synchronizedList(new ArrayList<>());
    /** Times of the requests that found nothing listening. */
    final List<Long> refused = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();

    FakeApp(Map<String, String> pages, ToLongFunction<String> latency) {
      this.pages = pages;
      this.latency = latency;
    }

    @Override
    public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
      return fetch(probe, hostPort, retry, 0).result();
    }

    @Override
    public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
      long came = clock.nanoTime();
      if (came < readyAt) {
        refused.add(came);
        return new HttpFetch(new ProbeResult(probe, null, -1, 0, null, Duration.ZERO, 1, "connection refused"), "",
            "", new byte[0]);
      }
      onEachRequest.run();
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        clock.sleep(Duration.ofNanos(latency.applyAsLong(probe.path())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // as the prober: the request ends, failed
        return new HttpFetch(new ProbeResult(probe, null, -1, 0, null, Duration.ZERO, 1, "interrupted"), "", "",
            new byte[0]);
      } finally {
        inFlight.decrementAndGet();
      }
      log.add(new Request(probe.method() + " " + probe.path(), came, clock.nanoTime()));
      String page = pages.get(probe.path());
      byte[] body = (page == null ? "not here" : page).getBytes(StandardCharsets.UTF_8);
      return new HttpFetch(new ProbeResult(probe, HttpProtocol.HTTP, page == null ? 404 : 200, body.length,
          HexFormat.of().formatHex(body), Duration.ZERO, 1, null), "text/html", "", body);
    }

    @Override
    public void close() {}

    /** Every request named {@code name}, in the order they came. */
    List<Request> of(String name) {
      synchronized (log) {
        return log.stream().filter(r -> r.name().equals(name)).sorted((a, b) -> Long.compare(a.came(), b.came()))
            .toList();
      }
    }
  }

  /** One container publishing {@link #PORT} on {@link #HOST_PORT}; counts how often its state is asked. */
  private static final class FakeContainers extends UnusedContainerRuntime {
    final List<Long> stateAsked = Collections.synchronizedList(new ArrayList<>());
    final VirtualClock clock;

    FakeContainers(VirtualClock clock) {
      this.clock = clock;
    }

    @Override
    public String createContainer(ContainerSpec spec) {
      return "c".repeat(64);
    }

    @Override
    public void startContainer(String containerId) {}

    @Override
    public ContainerState containerState(String containerId) {
      stateAsked.add(clock.nanoTime());
      return new ContainerState(true, 4242, 0, "");
    }

    @Override
    public Map<Integer, Integer> publishedPorts(String containerId) {
      return Map.of(PORT, HOST_PORT);
    }

    @Override
    public List<String> logTail(String containerId, int lines) {
      return List.of("app log");
    }
  }

  private final FakeContainers containers = new FakeContainers(clock);
  private final TcpProber tcp = (probe, hostPort, attempts, wait, timeout) -> new TcpProbeResult(probe, true, true,
      0, Duration.ZERO, 1, null, new byte[0]);

  private static ProbeSettings settings(CrawlLimits crawl, List<HttpProbe> specProbes) {
    return new ProbeSettings(true, List.of(), List.of(), Duration.ofSeconds(60), Duration.ZERO, 0, Duration.ZERO,
        Duration.ofSeconds(30), crawl, null, specProbes, List.of(), List.of(), ContinueAfter.PROBE);
  }

  private ProbeDriver driver(FakeApp app, ProbeSettings settings) {
    return new ProbeDriver(app, tcp, containers, settings, new StopWaiter(new PrintWriter(new StringWriter()), clock),
        clock);
  }

  private RunningContainer container() {
    RunningContainer c = RunningContainer.create(containers,
        new ContainerSpec("app:1", List.of(), Map.of(), List.of(PORT), Map.of()));
    c.start();
    return c;
  }

  private static PlannedProbe planned(String method, String path, ProbeSource source) {
    return PlannedProbe.of(new HttpProbe(HttpProtocol.AUTO, method, path, PORT, Map.of(), HttpBody.empty()), source);
  }

  private static final PlannedProbe ROOT = planned("GET", "/", ProbeSource.DEFAULT);

  /** A site: / links to /p0 .. /p{n-1}, each of which links to /q{i}; leaves otherwise. */
  private static Map<String, String> site(int n) {
    Map<String, String> pages = new LinkedHashMap<>();
    StringBuilder root = new StringBuilder("<html>");
    for (int i = 0; i < n; i++) {
      root.append("<a href=\"/p").append(i).append("\">p</a>");
      pages.put("/p" + i, "<a href=\"/q" + i + "\">q</a>");
      pages.put("/q" + i, "leaf " + i);
    }
    pages.put("/", root.append("</html>").toString());
    return pages;
  }

  private static List<String> paths(ProbeRecording recording) {
    return recording.http().stream().map(o -> o.result().probe().path()).toList();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** No thread of a run of the probes is left once it is over, whichever way it ended. */
  private static void assertNoProbeThreads() {
    List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("minify-probe-") || n.startsWith("minify-replay-")).toList();
    assertEquals(List.of(), left);
  }

  @Test
  void secondRequestsGoOutWhileFirstOnesAreStillBeingSentEachAtLeastTheGapAfterItsFirstAnswer() throws Exception {
    // the crawl's eight pages, then ten operations of a spec, one by one: the crawl's second
    // requests are due while those go, in the room they leave
    FakeApp app = new FakeApp(site(8), path -> Duration.ofMillis(200).toNanos());
    List<HttpProbe> spec = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      spec.add(new HttpProbe(HttpProtocol.AUTO, "GET", "/s" + i, 0, Map.of(), HttpBody.empty()));
    }
    ProbeRecording recording = driver(app, settings(new CrawlLimits(1, 1000, 4), spec))
        .probeOriginal(container(), List.of(ROOT));

    List<String> expected = new ArrayList<>(List.of("/"));
    for (int i = 0; i < 8; i++) {
      expected.add("/p" + i);
    }
    for (int i = 0; i < 10; i++) {
      expected.add("/s" + i);
    }
    assertEquals(expected, paths(recording), "the probe, the crawl's pages in crawl order, the spec's operations");
    long lastFirstCame = 0;
    long lastFirstAnswer = 0;
    long firstSecond = Long.MAX_VALUE;
    for (String path : expected) {
      List<Request> sent = app.of("GET " + path);
      // GET / is asked by readiness, the probe, the crawl's seed, then again for its second answer
      Request first = sent.get(path.equals("/") ? 1 : 0);
      Request second = sent.get(sent.size() - 1);
      assertEquals(path.equals("/") ? 4 : 2, sent.size(), path);
      assertTrue(second.came() - first.went() >= GAP, path + ": the second request at " + ms(second.came())
          + " ms, its first answer at " + ms(first.went()) + " ms");
      lastFirstCame = Math.max(lastFirstCame, first.came());
      lastFirstAnswer = Math.max(lastFirstAnswer, first.went());
      firstSecond = Math.min(firstSecond, second.came());
    }
    assertTrue(firstSecond < lastFirstCame, "second requests went out (from " + ms(firstSecond) + " ms) while first"
        + " ones were still being sent (until " + ms(lastFirstCame) + " ms)");
    assertTrue(app.mostInFlight.get() <= 4, "in flight to the port: " + app.mostInFlight.get());
    assertEquals(ms(lastFirstAnswer + GAP + Duration.ofMillis(200).toNanos()), ms(clock.nanoTime()),
        "the stage ends with the last first answer's second, not with a round of seconds after the first ones");
    assertTrue(recording.http().stream().allMatch(ProbeOutcome::bodyStable));
    assertNoProbeThreads();
  }

  @Test
  void theCrawlGivesTheSamePagesInTheSameOrderAsOneRequestAtATimeHoweverTheyComeIn() throws Exception {
    // later pages answer sooner: side by side, they come in backwards
    ToLongFunction<String> latency = path -> Duration.ofMillis(path.startsWith("/p") || path.startsWith("/q")
        ? 300 - 10 * Integer.parseInt(path.substring(2)) : 50).toNanos();
    FakeApp parallel = new FakeApp(site(12), latency);
    ProbeRecording side = driver(parallel, settings(new CrawlLimits(3, 1000, 4), List.of()))
        .probeOriginal(container(), List.of(ROOT));
    FakeApp sequential = new FakeApp(site(12), latency);
    ProbeRecording one = driver(sequential, settings(new CrawlLimits(3, 1000, 1), List.of()))
        .probeOriginal(container(), List.of(ROOT));

    assertEquals(one.crawledPages(), side.crawledPages());
    assertEquals(paths(one), paths(side));
    List<String> expected = new ArrayList<>(List.of("/"));
    for (int i = 0; i < 12; i++) {
      expected.add("/p" + i);
    }
    for (int i = 0; i < 12; i++) {
      expected.add("/q" + i);
    }
    assertEquals(expected, paths(side), "breadth-first, each level in link order");
    assertEquals(1, sequential.mostInFlight.get());
    assertEquals(4, parallel.mostInFlight.get());
    List<String> arrival = parallel.log.stream().map(Request::name).filter(n -> n.startsWith("GET /p")).distinct()
        .limit(4).toList();
    assertFalse(arrival.equals(List.of("GET /p0", "GET /p1", "GET /p2", "GET /p3")),
        "the answers did come in another order: " + arrival);
  }

  @Test
  void theUsersProbesAndStateChangingOperationsGetTheirSecondRequestsAfterEveryFirstOneInOrder()
      throws Exception {
    FakeApp app = new FakeApp(Map.of("/", "home"), path -> Duration.ofMillis(300).toNanos());
    List<HttpProbe> spec = List.of(
        new HttpProbe(HttpProtocol.AUTO, "GET", "/s1", 0, Map.of(), HttpBody.empty()),
        new HttpProbe(HttpProtocol.AUTO, "POST", "/s2", 0, Map.of(), HttpBody.empty()),
        new HttpProbe(HttpProtocol.AUTO, "DELETE", "/s3", 0, Map.of(), HttpBody.empty()));
    ProbeRecording recording = driver(app, settings(null, spec)).probeOriginal(container(), List.of(ROOT,
        planned("GET", "/a", ProbeSource.CMD), planned("POST", "/b", ProbeSource.CMD)));

    assertEquals(List.of("/", "/a", "/b", "/s1", "/s2", "/s3"), paths(recording));
    long lastFirstAnswer = app.of("DELETE /s3").get(0).went();
    Request rootSecond = app.of("GET /").get(2);
    Request specGetSecond = app.of("GET /s1").get(1);
    assertTrue(rootSecond.came() < lastFirstAnswer, "minify's own GET / goes again while first requests go on");
    assertTrue(rootSecond.came() - app.of("GET /").get(1).went() >= GAP);
    assertTrue(specGetSecond.came() - app.of("GET /s1").get(0).went() >= GAP);
    List<Request> held = List.of(app.of("GET /a").get(1), app.of("POST /b").get(1), app.of("POST /s2").get(1),
        app.of("DELETE /s3").get(1));
    long before = lastFirstAnswer;
    for (Request r : held) {
      assertTrue(r.came() >= before, r.name() + " again at " + ms(r.came()) + " ms, before "
          + ms(before) + " ms: the first requests were not all answered, or the one before it not yet");
      before = r.went();
    }
    assertNoProbeThreads();
  }

  @Test
  void theReplaySendsCrawledPagesSideBySideAndTheUsersProbesOneByOneInTheirOrder() throws Exception {
    FakeApp original = new FakeApp(site(10), path -> Duration.ofMillis(100).toNanos());
    ProbeDriver driver = driver(original, settings(new CrawlLimits(1, 1000, 4), List.of()));
    ProbeRecording recording = driver.probeOriginal(container(), List.of(ROOT,
        planned("GET", "/setup", ProbeSource.CMD), planned("GET", "/report", ProbeSource.FILE)));
    FakeApp slim = new FakeApp(site(10), path -> Duration.ofMillis(100).toNanos());
    long start = clock.nanoTime();
    Replay replay = driver(slim, settings(new CrawlLimits(1, 1000, 4), List.of())).replay(container(), recording);
    long took = clock.nanoTime() - start;

    assertEquals(paths(recording), replay.http().stream().map(a -> a.result().probe().path()).toList(),
        "the answers in the recording's order");
    assertEquals(4, slim.mostInFlight.get(), "crawled pages go four at a time");
    Request setup = slim.of("GET /setup").get(0);
    Request report = slim.of("GET /report").get(0);
    List<Request> beside = slim.log.stream().filter(r -> r != setup && r.went() > setup.came()
        && r.came() < setup.went() || r != report && r.went() > report.came() && r.came() < report.went()).toList();
    assertEquals(List.of(), beside, "nothing is in flight beside a user's probe");
    assertTrue(setup.went() <= report.came());
    assertTrue(took < Duration.ofMillis(100L * recording.http().size()).toNanos(),
        "side by side: " + ms(took) + " ms for " + recording.http().size() + " requests of 100 ms");
    assertNoProbeThreads();
  }

  @Test
  void readinessIsPolledOftenAtFirstThenFourTimesASecondInBothRuns() throws Exception {
    FakeApp original = new FakeApp(site(0), path -> 0);
    original.readyAt = Duration.ofMillis(1500).toNanos();
    ProbeDriver driver = driver(original, settings(null, List.of()));
    ProbeRecording recording = driver.probeOriginal(container(), List.of(ROOT));

    List<Long> polls = original.refused;
    assertEquals(0, polls.get(0));
    assertEquals(20, ms(polls.get(1) - polls.get(0)), "the first pauses are short");
    long seen = original.log.get(0).came();
    for (int i = 1; i < polls.size(); i++) {
      long pause = polls.get(i) - polls.get(i - 1);
      assertEquals(ProbeDriver.readinessPause(polls.get(i - 1)).toNanos(), pause, "poll " + i);
    }
    assertTrue(seen - original.readyAt <= Duration.ofMillis(150).toNanos(),
        "up at 1500 ms, seen at " + ms(seen) + " ms");
    assertEquals(Duration.ofMillis(250).toNanos(), ProbeDriver.readinessPause(Duration.ofSeconds(5).toNanos())
        .toNanos(), "an app that takes seconds is asked four times a second");
    assertTrue(containers.stateAsked.size() <= 1500 / 250 + 2,
        "the engine is asked about the container no more often than before: " + containers.stateAsked.size());

    FakeApp slim = new FakeApp(site(0), path -> 0);
    long start = clock.nanoTime();
    slim.readyAt = start + Duration.ofMillis(300).toNanos();
    driver(slim, settings(null, List.of())).replay(container(), recording);
    long replayed = slim.log.get(0).came();
    assertTrue(replayed - slim.readyAt <= Duration.ofMillis(30).toNanos(),
        "the slim container's port accepts at 300 ms, the replay starts at " + ms(replayed - start) + " ms");
  }

  @Test
  void anInterruptMidCrawlStopsTheRunAndLeavesNoThread() {
    FakeApp app = new FakeApp(site(20), path -> Duration.ofMillis(100).toNanos());
    Thread build = Thread.currentThread();
    AtomicInteger requests = new AtomicInteger();
    app.onEachRequest = () -> {
      if (requests.incrementAndGet() == 8) {
        build.interrupt(); // as the build's thread is told to stop while pages are in flight
      }
    };
    BuildException e = assertThrows(BuildException.class, () -> driver(app, settings(new CrawlLimits(1, 1000, 4),
        List.of())).probeOriginal(container(), List.of(ROOT)));
    assertEquals(FailureKind.INTERRUPTED, e.kind(), e.getMessage());
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertNoProbeThreads();
  }
}
