package io.minify.run;

import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerState;
import io.minify.engine.ExecResult;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.HttpBody;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.LimitReached;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.probe.apispec.ApiSpecRequests;
import io.minify.probe.crawl.CrawlLimits;
import io.minify.probe.crawl.CrawlResult;
import io.minify.probe.crawl.Crawler;
import io.minify.probe.tcp.TcpProbe;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives a running container (docs/design.md stage 4) and replays the same requests on the slim
 * image (stage 8). Order: the start wait; readiness (every probed HTTP port answers, any
 * status); the planned HTTP probes; the crawl; the API spec's operations; with TCP or exec
 * probes, readiness again (every published port accepts connections); TCP probes;
 * {@code --exec} commands; {@code --host-exec} commands (last: a test suite meets the app
 * as every other probe left it, in both runs); then {@link ContinueAfter}. The replay waits for the same
 * readiness before the same probes. Between readiness attempts the container is checked, so
 * a crashed app fails fast with its log instead of a timeout; so is what it listens on, so an
 * app that listens on its loopback address alone fails fast saying so.
 *
 * <p>Every HTTP request, readiness checks included, has {@link ProbeSettings#requestTimeout()}
 * to complete. One that does not says how far it came ({@link LimitReached}): no headers (a
 * slow route), a status and a body still streaming, or a body past what a probe reads.
 *
 * <p>After readiness the HTTP requests go through a {@link RequestPool}: at most
 * {@link #inFlightPerPort} in flight to a port. What may go side by side does (the pages of a
 * crawl level, the second requests of {@link #overlaps overlapping} probes while later first
 * requests are still being sent, the replay of requests whose order does not matter); what
 * the app could answer differently in another order keeps the order it has always had. Every
 * list of answers is in the order the requests are planned, whichever came in first, and a
 * failure is the one of the first failing request in that order.
 */
public final class ProbeDriver {

  /** Bounds the HTTPS attempt that tells a foreign protocol from TLS: a check of ours, not a user's request. */
  private static final Duration PROTOCOL_CHECK_TIMEOUT = Duration.ofSeconds(5);
  /** The longest pause between readiness polls, and how often the container's state is asked while polling. */
  static final Duration READINESS_PAUSE = Duration.ofMillis(250);
  /** The shortest pause between readiness polls: a poll is one refused or answered connection, and costs little. */
  static final Duration FIRST_READINESS_PAUSE = Duration.ofMillis(20);
  static final Duration STABILITY_GAP = Duration.ofMillis(1100);
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  private static final Duration TCP_TIMEOUT = Duration.ofSeconds(5);
  static final Duration OTHER_STREAK = Duration.ofSeconds(2);
  static final Duration LOOPBACK_STREAK = Duration.ofSeconds(2);
  static final String SLOW_HINT = " (a slow route? raise --http-probe-request-timeout)";
  private static final byte[] HTTP_VERSION = "HTTP/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int MAX_SPEC_BYTES = 8 << 20;
  static final int LOG_LINES = 20;

  private final HttpProber prober;
  private final TcpProber tcp;
  private final ContainerRuntime containers;
  private final ProbeSettings settings;
  private final HttpProber.RetryPolicy retry;
  private final HttpProber.RetryPolicy readinessAttempt;
  private final HttpProber.RetryPolicy protocolCheck;
  private final StopWaiter stopWaiter;
  private final Sleeper sleeper;
  private final ListeningSockets sockets;
  private final HostExecs hostExecs;

  /** A driver that cannot see what the container listens on (its sockets are not read). */
  public ProbeDriver(HttpProber prober, TcpProber tcp, ContainerRuntime containers, ProbeSettings settings,
      StopWaiter stopWaiter, Sleeper sleeper) {
    this(prober, tcp, containers, settings, stopWaiter, sleeper, ListeningSockets.unknown());
  }

  /**
   * @param sleeper the clock of every wait here (readiness, the gap before a second request)
   * @param sockets what the container listens on, read when a probed port does not answer
   */
  public ProbeDriver(HttpProber prober, TcpProber tcp, ContainerRuntime containers, ProbeSettings settings,
      StopWaiter stopWaiter, Sleeper sleeper, ListeningSockets sockets) {
    this(prober, tcp, containers, settings, stopWaiter, sleeper, sockets, HostExecs.none());
  }

  /** @param hostExecs where the {@code --host-exec} commands of {@code settings} run */
  public ProbeDriver(HttpProber prober, TcpProber tcp, ContainerRuntime containers, ProbeSettings settings,
      StopWaiter stopWaiter, Sleeper sleeper, ListeningSockets sockets, HostExecs hostExecs) {
    if (!settings.hostExecs().isEmpty() && !hostExecs.available()) {
      throw new IllegalArgumentException("host-exec commands without a host to run them on");
    }
    this.hostExecs = hostExecs;
    this.prober = prober;
    this.tcp = tcp;
    this.containers = containers;
    this.settings = settings;
    this.retry = new HttpProber.RetryPolicy(settings.retries() + 1, settings.retryWait(), settings.requestTimeout());
    // readiness waits as long as a probe would: a GET / slower than that would fail as a probe anyway
    this.readinessAttempt = new HttpProber.RetryPolicy(1, Duration.ZERO, settings.requestTimeout());
    this.protocolCheck = new HttpProber.RetryPolicy(1, Duration.ZERO,
        settings.requestTimeout().compareTo(PROTOCOL_CHECK_TIMEOUT) < 0 ? settings.requestTimeout()
            : PROTOCOL_CHECK_TIMEOUT);
    this.stopWaiter = stopWaiter;
    this.sleeper = sleeper;
    this.sockets = sockets;
  }

  /**
   * Drives the original image: every HTTP probe is sent twice to learn whether its body is
   * stable; crawled pages and spec operations join the list as concrete requests.
   *
   * @param plan the HTTP probes with concrete ports (empty with {@code --http-probe-off})
   */
  public ProbeRecording probeOriginal(RunningContainer container, List<PlannedProbe> plan) throws BuildException {
    sleep(settings.startWait());
    SentRequests sent = new SentRequests();
    List<OtherPort> others = awaitReady(container, plan.stream().map(PlannedProbe::probe).toList(),
        defaultedPorts(plan));
    if (!others.isEmpty()) {
      Set<Integer> otherPorts = new HashSet<>();
      others.forEach(o -> otherPorts.add(o.port()));
      plan = plan.stream().filter(p -> !otherPorts.contains(p.probe().containerPort())).toList();
      if (plan.isEmpty() && settings.tcpProbes().isEmpty() && settings.execs().isEmpty()
          && settings.hostExecs().isEmpty() && !settings.continueAfter().waitsBeyondProbes()) {
        throw new BuildException(FailureKind.BAD_INPUT, "no exposed port speaks HTTP: "
            + String.join(", ", others.stream().map(OtherPort::describe).toList()) + "; drive the app with"
            + " --http-probe-off and --tcp-probe PORT[:SEND[:EXPECT]], --exec CMD or --host-exec CMD, or watch it with"
            + " --http-probe-off"
            + " --continue-after timeout:SECONDS", container.logTail(LOG_LINES), null);
      }
    }
    List<String> crawled = new ArrayList<>();
    List<String> skipped = List.of();
    boolean truncated = false;
    List<ProbeOutcome> outcomes;
    try (RequestPool pool = new RequestPool(sleeper, inFlightPerPort(), "minify-probe")) {
      List<Probed> probed = new ArrayList<>();
      for (PlannedProbe p : plan) {
        FirstAnswer answer = first(pool, container, p);
        sent.answered(answer.answer().result());
        probed.add(afterFirst(pool, container, answer));
      }
      if (settings.crawl() != null && !plan.isEmpty()) {
        Map<HttpProbe, Probed> pages = new ConcurrentHashMap<>();
        CrawlResult crawl = crawl(pool, container, probed.stream().map(f -> f.first().answer().result()).toList(),
            sent, pages);
        truncated = crawl.truncated();
        skipped = crawl.skipped();
        for (CrawlResult.Page page : crawl.pages()) {
          crawled.add(page.probe().describe());
          Probed page1 = pages.get(page.probe()); // in crawl order, however the pages came in
          if (page1 != null) {
            probed.add(page1);
          }
        }
      }
      for (PlannedProbe p : specProbes(pool, container, plan)) {
        if (sent.add(p.probe())) {
          probed.add(afterFirst(pool, container, first(pool, container, p)));
        }
      }
      outcomes = secondRound(pool, container, probed);
    }
    List<Integer> ready = new ArrayList<>();
    List<Integer> unready = new ArrayList<>();
    if (!settings.tcpProbes().isEmpty() || !settings.execs().isEmpty() || !settings.hostExecs().isEmpty()) {
      // TCP, exec and host-exec probes run once the app is as ready as it gets, so that a command that
      // waits for the app (until redis-cli ping; do sleep 1; done) sees the same app in both runs
      long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
      for (int port : new TreeSet<>(container.hostPorts().keySet())) {
        (awaitAccepting(container, port, deadline) ? ready : unready).add(port);
      }
    }
    List<TcpProbeResult> tcp = new ArrayList<>();
    for (TcpProbe t : settings.tcpProbes()) {
      TcpProbeResult r = tcpUntilReady(container, t);
      if (!r.ok()) {
        throw new BuildException(FailureKind.BUILD_FAILED, "probe " + t.describe() + " failed on the original image: "
            + r.error(), container.logTail(LOG_LINES), null);
      }
      tcp.add(r);
    }
    List<ExecOutcome> execs = new ArrayList<>();
    for (ExecCommand c : settings.execs()) {
      execs.add(exec(container, c));
    }
    List<HostExecOutcome> hostRuns = new ArrayList<>();
    Map<String, String> env = HostExecEnvironment.of(containers.address().host(), container.hostPorts(),
        httpPorts(outcomes));
    for (int i = 0; i < settings.hostExecs().size(); i++) {
      HostExecCommand c = settings.hostExecs().get(i);
      HostExecResult r = hostExec(c, i, "original", env);
      refuseOnOriginal(c, r, container);
      hostRuns.add(new HostExecOutcome(c, r));
    }
    ProbeEnd ended = stopWaiter.await(settings.continueAfter(), container);
    ContainerState state = container.state();
    if (!state.running() && !(ended instanceof ProbeEnd.AppExited)) { // an exit in the wait was judged there
      // killed or crashed mid-probe: the answers and the file list stop where it died
      stopWaiter.refuseExit(container, state, "probed");
    }
    return new ProbeRecording(outcomes, crawled, truncated, skipped, ready, unready, others, tcp, execs, ended,
        hostRuns);
  }

  /** Replays a recording against another container (the slim image), once each. */
  public Replay replay(RunningContainer container, ProbeRecording recording) throws BuildException {
    sleep(settings.startWait());
    List<HttpProbe> probes = recording.http().stream().map(o -> o.result().probe()).toList();
    awaitReady(container, probes, Set.of());
    List<HttpAnswer> http;
    try (RequestPool pool = new RequestPool(sleeper, inFlightPerPort(), "minify-replay")) {
      List<RequestPool.Ordered<HttpAnswer>> requests = new ArrayList<>();
      long now = sleeper.nanoTime();
      for (ProbeOutcome o : recording.http()) {
        HttpProbe probe = o.result().probe();
        int hostPort = hostPort(container, probe.containerPort());
        // in the original's order where it may matter: the user's probes and what may change
        // state one at a time; minify's own requests and the spec's safe ones side by side
        requests.add(new RequestPool.Ordered<>(hostPort, now, !overlaps(probe, o.source()),
            () -> answer(probe, hostPort, true)));
      }
      http = await(() -> pool.inOrder(requests));
    }
    if (!recording.tcp().isEmpty() || !recording.exec().isEmpty() || !recording.hostExec().isEmpty()) {
      // as ready as the original was when its TCP, exec and host-exec probes ran: the same ports accept
      long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
      for (int port : recording.readyPorts()) {
        if (!awaitAccepting(container, port, deadline)) {
          throw new BuildException(FailureKind.BUILD_FAILED, "port " + port + " did not accept connections within "
              + settings.startTimeout().toSeconds() + "s (the original's did before its TCP, exec and host-exec"
              + " probes)",
              container.logTail(LOG_LINES), null);
        }
      }
    }
    if (!recording.otherPorts().isEmpty()) {
      long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
      for (OtherPort other : recording.otherPorts()) {
        if (!awaitAccepting(container, other.port(), deadline)) {
          throw new BuildException(FailureKind.BUILD_FAILED, "port " + other.describe() + " did not accept"
              + " connections within " + settings.startTimeout().toSeconds() + "s; the original's did",
              container.logTail(LOG_LINES), null);
        }
      }
    }
    List<TcpProbeResult> tcp = new ArrayList<>();
    for (TcpProbeResult t : recording.tcp()) {
      tcp.add(tcpUntilReady(container, t.probe()));
    }
    List<ExecOutcome> execs = new ArrayList<>();
    for (ExecOutcome e : recording.exec()) {
      execs.add(exec(container, e.command()));
    }
    List<HostExecOutcome> hostRuns = new ArrayList<>();
    Map<String, String> env = HostExecEnvironment.of(containers.address().host(), container.hostPorts(),
        httpPorts(recording.http()));
    for (int i = 0; i < recording.hostExec().size(); i++) {
      HostExecOutcome original = recording.hostExec().get(i);
      HostExecResult first = hostExec(original.command(), i, "replay", env);
      if (sameEnd(original.result(), first)) {
        hostRuns.add(new HostExecOutcome(original.command(), first));
      } else {
        // once more before a verdict: a flaky test must not fail the build, nor pass it by chance twice
        hostRuns.add(new HostExecOutcome(original.command(), List.of(first,
            hostExec(original.command(), i, "rerun", env))));
      }
    }
    if (recording.size() == 0 && recording.continuedAfter() instanceof ProbeEnd.AppExited) {
      // the original finished on its own with code 0: the slim one must too, or still be at it
      long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
      ContainerState state = container.state();
      while (state.running() && sleeper.nanoTime() < deadline) {
        sleep(READINESS_PAUSE);
        state = container.state();
      }
      if (!state.running() && state.exitCode() != 0) {
        throw new BuildException(FailureKind.BUILD_FAILED,
            StopWaiter.appExited(state) + " where the original exited with 0", container.logTail(LOG_LINES), null);
      }
    } else if (recording.size() == 0) {
      // Nothing to replay (only watched for a while): the slim app must at least keep running.
      sleep(Duration.ofSeconds(2));
      ContainerState state = container.state();
      if (!state.running()) {
        throw new BuildException(FailureKind.BUILD_FAILED, StopWaiter.appExited(state) + " right after it started",
            container.logTail(LOG_LINES), null);
      }
    }
    return new Replay(http, tcp, execs, hostRuns);
  }

  /**
   * A probe's first answer from the original, waiting for its second.
   *
   * @param answeredNanos when the answer was in ({@link Sleeper#nanoTime()}), or later: the second
   *                      request of this probe is sent at least {@link #STABILITY_GAP} after it
   */
  private record FirstAnswer(HttpAnswer answer, ProbeSource source, long answeredNanos) {}

  /**
   * A probe's first answer and, when it {@link #overlaps}, its second request, already queued;
   * null while it waits for the end of the first requests.
   */
  private record Probed(FirstAnswer first, RequestPool.Pending<HttpAnswer> second) {}

  /** An answer and when it was in, read on the thread that sent the request, right after. */
  private record Timed(HttpAnswer answer, long answeredNanos) {}

  private FirstAnswer first(RequestPool pool, RunningContainer container, PlannedProbe planned)
      throws BuildException {
    HttpProbe probe = planned.probe();
    int hostPort = hostPort(container, probe.containerPort());
    Timed timed = await(pool.submit(hostPort, () -> {
      HttpAnswer answer = answer(probe, hostPort, true);
      return new Timed(answer, sleeper.nanoTime());
    })::get);
    ProbeResult first = timed.answer().result();
    if (!first.answered()) {
      throw new BuildException(FailureKind.BUILD_FAILED, "probe " + probe.describe() + (first.limit() == null
          ? " got no response from the original image: " + first.error()
          : " got no complete answer from the original image: " + limitMessage(first.limit())),
          container.logTail(LOG_LINES), null);
    }
    if (planned.expectedStatus() != PlannedProbe.ANY_STATUS && first.status() != planned.expectedStatus()) {
      throw new BuildException(FailureKind.BUILD_FAILED, "probe " + probe.describe() + " expected status "
          + planned.expectedStatus() + " but the original image answered " + first.status(),
          container.logTail(LOG_LINES), null);
    }
    return new FirstAnswer(timed.answer(), planned.source(), timed.answeredNanos());
  }

  /**
   * Queues the second request of a probe that {@link #overlaps}, for {@link #STABILITY_GAP}
   * after its first answer; it goes out then, while later first requests, the crawl and the
   * spec's operations are still being sent.
   */
  private Probed afterFirst(RequestPool pool, RunningContainer container, FirstAnswer first) throws BuildException {
    HttpProbe probe = first.answer().result().probe();
    if (!overlaps(probe, first.source())) {
      return new Probed(first, null);
    }
    int hostPort = hostPort(container, probe.containerPort());
    return new Probed(first, pool.submit(hostPort, first.answeredNanos() + STABILITY_GAP.toNanos(),
        () -> answer(probe, hostPort, false)));
  }

  /**
   * Whether a request may be sent side by side with others, in any order: one of minify's own
   * ({@code GET /} on each port, a crawled page) or an API spec's operation in a method that
   * changes nothing (GET, HEAD, OPTIONS, TRACE: RFC 9110's safe methods, as the spec declares
   * it). The user's own probes keep their order, in every method: a user may probe a sequence
   * ({@code GET /setup} before {@code GET /report}) whose answers depend on it, whatever HTTP
   * says GET should do; and so does every request that may change the app's state.
   */
  static boolean overlaps(HttpProbe probe, ProbeSource source) {
    return switch (source) {
      case DEFAULT, CRAWL -> true;
      case APISPEC -> safe(probe);
      case CMD, FILE -> false;
    };
  }

  /** Whether {@code probe}'s method is one HTTP defines as changing nothing on the server (RFC 9110, 9.2.1). */
  private static boolean safe(HttpProbe probe) {
    return SAFE_METHODS.contains(probe.method().toUpperCase(Locale.ROOT));
  }

  /**
   * The second answer of every probe, in the order of {@code probed}, to learn which bodies
   * are stable. Each probe's second request goes out at least {@link #STABILITY_GAP} after its
   * first answer came in: the most common volatile body holds a timestamp in whole seconds (a
   * Date, a gzip header's MTIME) or a count of them (an uptime, seconds since some event, at
   * any phase to the clock's seconds), and two requests within one second would call it
   * stable (with keep-alive they take milliseconds). The first answer came at most then, so
   * the two handlings are more than a second apart on any clock, one whose whole seconds tick
   * at another phase than ours too (a remote engine's, an uptime's), with 0.1 s to spare for
   * a server that reads a cached clock. Waiting only for our next whole second would miss the
   * counters, and a remote engine's clock: the gap stays. A gap per probe, not per round: a
   * round that ran fast would otherwise bring a late first request and its second into the
   * same second.
   *
   * <p>The seconds of probes that {@link #overlaps overlap} are queued as their first answers
   * come in (and may be done already). The others' wait for the end of every first request, as
   * they always did, so that no first answer sees a state a second request made, which the
   * replay (one request each) would not: they are sent now, in order, those in a method that
   * may change state one at a time.
   */
  private List<ProbeOutcome> secondRound(RequestPool pool, RunningContainer container, List<Probed> probed)
      throws BuildException {
    List<RequestPool.Ordered<HttpAnswer>> held = new ArrayList<>();
    for (Probed p : probed) {
      if (p.second() == null) {
        HttpProbe probe = p.first().answer().result().probe();
        int hostPort = hostPort(container, probe.containerPort());
        held.add(new RequestPool.Ordered<>(hostPort, p.first().answeredNanos() + STABILITY_GAP.toNanos(),
            !safe(probe),
            () -> answer(probe, hostPort, false)));
      }
    }
    List<HttpAnswer> heldSeconds = await(() -> pool.inOrder(held));
    List<ProbeOutcome> outcomes = new ArrayList<>();
    int next = 0;
    for (Probed p : probed) {
      HttpAnswer second = p.second() == null ? heldSeconds.get(next++) : await(p.second()::get);
      outcomes.add(new ProbeOutcome(p.first().answer(), second, p.first().source()));
    }
    return outcomes;
  }

  /**
   * The crawl: each level's pages side by side through {@code pool}. A page the original had
   * not been asked yet gets its first answer, and its second request queued, as it comes in;
   * {@code pages} holds those by probe, for the caller to put in crawl order.
   */
  private CrawlResult crawl(RequestPool pool, RunningContainer container, List<ProbeResult> done, SentRequests sent,
      Map<HttpProbe, Probed> pages) throws BuildException {
    // Seeds: GET / on each probed port, in the protocol that port was found to speak.
    Set<Integer> ports = new LinkedHashSet<>();
    List<HttpProbe> seeds = new ArrayList<>();
    for (ProbeResult r : done) {
      HttpProbe p = r.probe();
      if (ports.add(p.containerPort())) {
        HttpProtocol protocol = r.protocol() == null ? p.protocol() : r.protocol();
        seeds.add(new HttpProbe(protocol, "GET", "/", p.containerPort(), Map.of(), HttpBody.empty()));
      }
    }
    Map<Integer, Integer> hostPorts = Map.copyOf(container.hostPorts());
    Crawler crawler = Crawler.byLevels(level -> {
      List<RequestPool.Pending<HttpFetch>> fetches = new ArrayList<>();
      for (HttpProbe p : level) {
        int hostPort = hostPorts.get(p.containerPort());
        fetches.add(pool.submit(hostPort, () -> {
          HttpFetch fetch = prober.fetch(p, hostPort, retry, Crawler.MAX_PAGE_BYTES);
          long answered = sleeper.nanoTime();
          // a page is new or not whatever the order of its level: the crawl asks each page once
          if (sent.add(p) && fetch.result().answered()) {
            FirstAnswer first = new FirstAnswer(HttpAnswer.of(fetch, true), ProbeSource.CRAWL, answered);
            pages.put(p, new Probed(first, pool.submit(hostPort, answered + STABILITY_GAP.toNanos(),
                () -> answer(p, hostPort, false))));
          }
          return fetch;
        }));
      }
      List<HttpFetch> fetched = new ArrayList<>();
      for (RequestPool.Pending<HttpFetch> f : fetches) {
        fetched.add(f.get());
      }
      return fetched;
    }, settings.crawl());
    try {
      return crawler.crawl(seeds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while crawling");
    }
  }

  /** The spec's operations: from the file on every probed port, or from the app on the port that served it. */
  private List<PlannedProbe> specProbes(RequestPool pool, RunningContainer container, List<PlannedProbe> plan)
      throws BuildException {
    List<Integer> ports = plan.stream().map(p -> p.probe().containerPort()).distinct().toList();
    List<PlannedProbe> out = new ArrayList<>();
    for (HttpProbe p : settings.apiSpecProbes()) {
      for (int port : ports) {
        out.add(PlannedProbe.of(p.onPort(port), ProbeSource.APISPEC));
      }
    }
    String path = settings.apiSpecPath();
    if (path == null || ports.isEmpty()) {
      return out;
    }
    String problem = "";
    for (int port : ports) {
      int hostPort = hostPort(container, port);
      HttpFetch spec = await(pool.submit(hostPort,
          () -> prober.fetch(HttpProbe.get(port, path), hostPort, retry, MAX_SPEC_BYTES))::get);
      if (spec.result().status() != 200) {
        problem = "GET :" + port + path + " answered " + (spec.result().answered() ? "status "
            + spec.result().status() : spec.result().error());
        continue;
      }
      try {
        for (HttpProbe p : ApiSpecRequests.fromText(spec.bodyText())) {
          out.add(PlannedProbe.of(p.onPort(port), ProbeSource.APISPEC));
        }
      } catch (IllegalArgumentException e) {
        throw new BuildException(FailureKind.BAD_INPUT, "--http-probe-apispec: the spec at :" + port + path + " "
            + e.getMessage());
      }
      return out;
    }
    throw new BuildException(FailureKind.BAD_INPUT, "--http-probe-apispec: no probed port serves " + path + " ("
        + problem + ")");
  }

  private TcpProbeResult tcpUntilReady(RunningContainer container, TcpProbe probe) throws BuildException {
    int hostPort = hostPort(container, probe.containerPort());
    long started = sleeper.nanoTime();
    long deadline = started + settings.startTimeout().toNanos();
    while (true) {
      TcpProbeResult r = tcp.execute(probe, hostPort, settings.retries() + 1, settings.retryWait(), TCP_TIMEOUT);
      if (r.ok() || r.connected() && r.received() > 0) {
        return r;
      }
      ContainerState state = container.state();
      if (!state.running()) {
        throw new BuildException(FailureKind.BUILD_FAILED,
            StopWaiter.appExited(state) + " before " + probe.describe() + " succeeded", container.logTail(LOG_LINES),
            null);
      }
      if (sleeper.nanoTime() > deadline) {
        return r;
      }
      sleep(readinessPause(sleeper.nanoTime() - started));
    }
  }

  /**
   * Waits until {@code containerPort} accepts a connection that stays open (or answers): the
   * engine's port proxy accepts and drops connections while nothing listens, so a bare
   * connect proves nothing. False when {@code deadline} passes first.
   */
  private boolean awaitAccepting(RunningContainer container, int containerPort, long deadline) throws BuildException {
    int hostPort = hostPort(container, containerPort);
    TcpProbe connect = new TcpProbe(containerPort, new byte[0], new byte[0]);
    long started = sleeper.nanoTime();
    while (true) {
      if (tcp.execute(connect, hostPort, 1, Duration.ZERO, TCP_TIMEOUT).ok()) {
        return true;
      }
      ContainerState state = container.state();
      if (!state.running()) {
        throw new BuildException(FailureKind.BUILD_FAILED,
            StopWaiter.appExited(state) + " before port " + containerPort + " accepted connections",
            container.logTail(LOG_LINES), null);
      }
      if (sleeper.nanoTime() > deadline) {
        return false;
      }
      sleep(readinessPause(sleeper.nanoTime() - started));
    }
  }

  private ExecOutcome exec(RunningContainer container, ExecCommand command) {
    ExecResult r = containers.exec(container.id(), command.argv(), settings.startTimeout());
    return new ExecOutcome(command, r);
  }

  /** Whether a run of a host-exec command ended as the original's did: the same exit code, in time. */
  public static boolean sameEnd(HostExecResult original, HostExecResult other) {
    return !other.timedOut() && other.exitCode() == original.exitCode();
  }

  /**
   * The HTTP ports the probes went to, each with the protocol that answered there first: the
   * main port of a host-exec command's environment is among them.
   */
  private static Map<Integer, HttpProtocol> httpPorts(List<ProbeOutcome> http) {
    Map<Integer, HttpProtocol> ports = new TreeMap<>();
    for (ProbeOutcome o : http) {
      ports.putIfAbsent(o.result().probe().containerPort(), o.result().protocol());
    }
    return ports;
  }

  /** Runs one host-exec command; {@code run} names its output file beside the others in the work directory. */
  private HostExecResult hostExec(HostExecCommand command, int index, String run, Map<String, String> env)
      throws BuildException {
    Path output = hostExecs.outputDirectory().resolve("host-exec-" + (index + 1) + "-" + run + ".log");
    try {
      return hostExecs.commands().run(command, env, settings.hostExecTimeout(), output);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "--host-exec '" + command.text() + "' could not be started: "
          + e.getMessage(), List.of(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while --host-exec '" + command.text() + "' ran");
    }
  }

  /**
   * What the original's run of a host-exec command must not be: 127 and 126 are the shell's
   * own "command not found" and "not executable", a mistake in the command rather than a
   * verdict on the app, which the slim image would only repeat; a command that did not finish
   * in time has no exit code to compare.
   */
  private void refuseOnOriginal(HostExecCommand command, HostExecResult r, RunningContainer container)
      throws BuildException {
    String output = r.lastLines(3, 300);
    String said = output.isEmpty() ? "" : ": " + output;
    if (r.timedOut()) {
      throw new BuildException(FailureKind.BUILD_FAILED, "--host-exec '" + command.text() + "' did not finish within "
          + settings.hostExecTimeout().toSeconds() + "s on the original image (raise --host-exec-timeout)" + said,
          container.logTail(LOG_LINES), null);
    }
    if (r.exitCode() == 127 || r.exitCode() == 126) {
      throw new BuildException(FailureKind.BAD_INPUT, "--host-exec '" + command.text() + "' exited with "
          + r.exitCode() + " on the original image: the shell " + (r.exitCode() == 127 ? "found no such command"
          : "could not run a program it names (not executable?)") + said);
    }
  }

  /** One request; the body's first bytes are read for its shape, and kept when {@code keepHead}. */
  private HttpAnswer answer(HttpProbe probe, int hostPort, boolean keepHead) {
    return HttpAnswer.of(prober.fetch(probe, hostPort, retry, HttpAnswer.KEPT_BYTES), keepHead);
  }

  /**
   * Requests in flight to one port at most: the crawl's bound ({@code --http-crawl-concurrency}),
   * which holds for every request of a run, the second requests and the replay too.
   */
  private int inFlightPerPort() {
    return settings.crawl() == null ? CrawlLimits.DEFAULT_CONCURRENCY : settings.crawl().concurrency();
  }

  /** Something the probes wait for: an answer from the pool. */
  @FunctionalInterface
  private interface Awaited<T> {
    T get() throws InterruptedException;
  }

  private static <T> T await(Awaited<T> answer) throws BuildException {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while probing the app");
    }
  }

  /**
   * The ports HTTP probing goes to only because the image exposes them: no
   * {@code --http-probe-ports}, and no probe of the user's names them. Such a port may turn
   * out to speak something else, and is then left out instead of failing the build.
   */
  private Set<Integer> defaultedPorts(List<PlannedProbe> plan) {
    if (!settings.httpPorts().isEmpty()) {
      return Set.of();
    }
    Set<Integer> ports = new TreeSet<>();
    plan.forEach(p -> ports.add(p.probe().containerPort()));
    for (PlannedProbe p : settings.httpProbes()) {
      if (p.probe().containerPort() != ProbeCommandParser.ANY_PORT) {
        ports.remove(p.probe().containerPort());
      }
    }
    return ports;
  }

  /**
   * Waits until every probed port answers HTTP (any status). A port in {@code mayBeOther}
   * that shows for {@link #OTHER_STREAK} that it speaks something else is returned instead:
   * it accepts connections but answers an HTTP request with bytes that are neither HTTP nor
   * TLS, or closes on one (and not on a bare connection, nor on HTTPS). A streak, because an
   * app that is still starting may do either for a moment.
   */
  private List<OtherPort> awaitReady(RunningContainer container, List<HttpProbe> probes, Set<Integer> mayBeOther)
      throws BuildException {
    Set<Integer> waited = new LinkedHashSet<>();
    List<OtherPort> others = new ArrayList<>();
    long started = sleeper.nanoTime();
    long deadline = started + settings.startTimeout().toNanos();
    for (HttpProbe probe : probes) {
      if (!waited.add(probe.containerPort())) {
        continue;
      }
      int hostPort = hostPort(container, probe.containerPort());
      HttpProbe readiness = new HttpProbe(probe.protocol(), "GET", probe.path(), probe.containerPort(),
          probe.headers(), HttpBody.empty());
      long otherSince = -1; // when the port first showed it speaks something else, in this streak
      long loopbackSince = -1; // when it was first seen listened on at loopback addresses alone
      long askState = sleeper.nanoTime(); // when the engine is next asked whether the app runs
      while (true) {
        // asked as often as ever, not at every poll: a crash still shows within a pause
        if (sleeper.nanoTime() - askState >= 0) {
          askState = sleeper.nanoTime() + READINESS_PAUSE.toNanos();
          requireRunning(container, probe.containerPort());
        }
        ProbeResult r = prober.execute(readiness, hostPort, readinessAttempt);
        if (r.answered()) {
          break;
        }
        // a request that ran into a limit reached the app; one that did not may not have
        List<String> loopback = r.limit() != null ? List.of()
            : sockets.of(container).map(l -> loopbackOnly(l, probe.containerPort())).orElse(List.of());
        if (loopback.isEmpty()) {
          loopbackSince = -1;
        } else if (loopbackSince < 0) {
          loopbackSince = sleeper.nanoTime();
        } else if (sleeper.nanoTime() - loopbackSince >= LOOPBACK_STREAK.toNanos()) {
          // a streak, as an app may bind its loopback address first while it starts
          throw new BuildException(FailureKind.BUILD_FAILED, unanswered(probe.containerPort(), readiness,
              settings.startTimeout(), r, loopback), container.logTail(LOG_LINES), null);
        }
        if (mayBeOther.contains(probe.containerPort())) {
          Optional<String> other = speaksOther(readiness, hostPort);
          if (other.isEmpty()) {
            otherSince = -1;
          } else if (otherSince < 0) {
            otherSince = sleeper.nanoTime();
          } else if (sleeper.nanoTime() - otherSince >= OTHER_STREAK.toNanos()) {
            others.add(new OtherPort(probe.containerPort(), other.get()));
            break;
          }
        }
        if (sleeper.nanoTime() > deadline) {
          requireRunning(container, probe.containerPort()); // an app that crashed says so, not that it was slow
          throw new BuildException(FailureKind.BUILD_FAILED, unanswered(probe.containerPort(), readiness,
              settings.startTimeout(), r, loopback), container.logTail(LOG_LINES), null);
        }
        sleep(readinessPause(sleeper.nanoTime() - started));
      }
    }
    return others;
  }

  /** Fails the build, with the app's log, when its container is no longer running. */
  private static void requireRunning(RunningContainer container, int port) throws BuildException {
    ContainerState state = container.state();
    if (!state.running()) {
      throw new BuildException(FailureKind.BUILD_FAILED,
          StopWaiter.appExited(state) + " before port " + port
              + " answered" + (state.error().isEmpty() ? "" : " (" + state.error() + ")"),
          container.logTail(LOG_LINES), null);
    }
  }

  /**
   * The pause before the next readiness poll, {@code waitedNanos} into the wait: a tenth of the
   * time waited, from {@link #FIRST_READINESS_PAUSE} up to {@link #READINESS_PAUSE}. An app is
   * seen ready about a tenth of its start time late at most (an app up in 0.8 s within 80 ms,
   * where a fixed 250 ms pause cost 125 ms on average), and one that takes seconds is polled
   * four times a second, as it always was.
   */
  static Duration readinessPause(long waitedNanos) {
    long pause = Math.max(FIRST_READINESS_PAUSE.toNanos(), Math.min(READINESS_PAUSE.toNanos(), waitedNanos / 10));
    return Duration.ofNanos(pause);
  }

  /**
   * What a port that did not answer HTTP speaks, when it is not HTTP: empty while that is
   * unclear (nothing listens yet, or it wants TLS, or it is slow).
   */
  private Optional<String> speaksOther(HttpProbe readiness, int hostPort) {
    byte[] request = ("GET " + readiness.path() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    TcpProbeResult asked = tcp.execute(new TcpProbe(readiness.containerPort(), request, HTTP_VERSION), hostPort, 1,
        Duration.ZERO, TCP_TIMEOUT);
    if (asked.received() > 0) {
      return asked.matched() || asked.headIsTls() ? Optional.empty()
          : Optional.of("answered \"" + TcpProbe.printable(asked.head()) + "\" to an HTTP request");
    }
    if (asked.connected()) {
      return Optional.empty(); // holds the request without a word: slow, not foreign
    }
    // closed without a byte: the engine's proxy does that while nothing listens, so it counts
    // only when a bare connection stays open and HTTPS gets no answer either
    TcpProbeResult bare = tcp.execute(new TcpProbe(readiness.containerPort(), new byte[0], new byte[0]), hostPort, 1,
        Duration.ZERO, TCP_TIMEOUT);
    if (!bare.ok() || prober.execute(new HttpProbe(HttpProtocol.HTTPS, "GET", readiness.path(),
        readiness.containerPort(), readiness.headers(), HttpBody.empty()), hostPort, protocolCheck).answered()) {
      return Optional.empty();
    }
    return Optional.of(bare.received() > 0
        ? "sends \"" + TcpProbe.printable(bare.head()) + "\" first and closes on an HTTP request"
        : "accepts connections and closes them on an HTTP request");
  }

  /**
   * Why a probed port gave no answer to readiness within {@code startTimeout}, most telling
   * first: it is listened on only at loopback addresses (which the published port cannot
   * reach); the last request ran into a limit (how far it came); else the last error.
   *
   * @param loopback the loopback addresses the port is listened on at, when only at such; else empty
   */
  static String unanswered(int port, HttpProbe readiness, Duration startTimeout, ProbeResult last,
      List<String> loopback) {
    if (!loopback.isEmpty()) {
      return "port " + port + " is listened on only at " + String.join(" and ", loopback) + " inside the container,"
          + " which a published port cannot reach: make the app listen on 0.0.0.0";
    }
    if (last.limit() != null) {
      return "port " + port + " gave no complete answer to " + readiness.method() + " " + readiness.path() + " in "
          + startTimeout.toSeconds() + "s: " + limitMessage(last.limit());
    }
    return "port " + port + " never answered HTTP within " + startTimeout.toSeconds() + "s (last error: "
        + last.error() + ")";
  }

  /** What a request that ran into a limit saw, with what to do about it where there is something. */
  static String limitMessage(LimitReached limit) {
    boolean slow = limit.kind() == LimitReached.Kind.NO_HEADERS
        || limit.kind() == LimitReached.Kind.BODY_UNFINISHED && limit.bodyBytes() == 0;
    // an endless stream does not end with more time, and the body cap is not an option
    return limit.describe() + (slow ? SLOW_HINT : "");
  }

  /**
   * The addresses {@code port} is listened on, when all of them are loopback ones (the app
   * listens on 127.0.0.1 or ::1 alone); empty when it is not listened on at all, or on some
   * address a published port reaches.
   */
  static List<String> loopbackOnly(List<ProcNetTcp.Listener> listening, int port) {
    List<ProcNetTcp.Listener> onPort = listening.stream().filter(l -> l.port() == port).toList();
    if (onPort.isEmpty() || !onPort.stream().allMatch(ProcNetTcp.Listener::loopback)) {
      return List.of();
    }
    return onPort.stream().map(ProcNetTcp.Listener::host).distinct().sorted().toList();
  }

  private static int hostPort(RunningContainer container, int containerPort) throws BuildException {
    Integer port = container.hostPorts().get(containerPort);
    if (port == null) {
      throw new BuildException(FailureKind.BAD_INPUT,
          "port " + containerPort + " is not published by the container (is it exposed by the image?)");
    }
    return port;
  }

  private void sleep(Duration d) throws BuildException {
    if (d.isZero()) {
      return;
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while waiting for the app");
    }
  }
}
