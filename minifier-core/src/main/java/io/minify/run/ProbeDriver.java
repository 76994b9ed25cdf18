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
import io.minify.probe.crawl.CrawlResult;
import io.minify.probe.crawl.Crawler;
import io.minify.probe.tcp.TcpProbe;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drives a running container (docs/design.md stage 4) and replays the same requests on the slim
 * image (stage 8). Order: the start wait; readiness (every probed HTTP port answers, any
 * status); the planned HTTP probes; the crawl; the API spec's operations; with TCP or exec
 * probes, readiness again (every published port accepts connections); TCP probes;
 * {@code --exec} commands; then {@link ContinueAfter}. The replay waits for the same
 * readiness before the same probes. Between readiness attempts the container is checked, so
 * a crashed app fails fast with its log instead of a timeout; so is what it listens on, so an
 * app that listens on its loopback address alone fails fast saying so.
 *
 * <p>Every HTTP request, readiness checks included, has {@link ProbeSettings#requestTimeout()}
 * to complete. One that does not says how far it came ({@link LimitReached}): no headers (a
 * slow route), a status and a body still streaming, or a body past what a probe reads.
 */
public final class ProbeDriver {

  /** Bounds the HTTPS attempt that tells a foreign protocol from TLS: a check of ours, not a user's request. */
  private static final Duration PROTOCOL_CHECK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READINESS_PAUSE = Duration.ofMillis(250);
  static final Duration STABILITY_GAP = Duration.ofMillis(1100);
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
    List<FirstAnswer> firsts = new ArrayList<>();
    SentRequests sent = new SentRequests();
    List<OtherPort> others = awaitReady(container, plan.stream().map(PlannedProbe::probe).toList(),
        defaultedPorts(plan));
    if (!others.isEmpty()) {
      Set<Integer> otherPorts = new HashSet<>();
      others.forEach(o -> otherPorts.add(o.port()));
      plan = plan.stream().filter(p -> !otherPorts.contains(p.probe().containerPort())).toList();
      if (plan.isEmpty() && settings.tcpProbes().isEmpty() && settings.execs().isEmpty()
          && !settings.continueAfter().waitsBeyondProbes()) {
        throw new BuildException(FailureKind.BAD_INPUT, "no exposed port speaks HTTP: "
            + String.join(", ", others.stream().map(OtherPort::describe).toList()) + "; drive the app with"
            + " --http-probe-off and --tcp-probe PORT[:SEND[:EXPECT]] or --exec CMD, or watch it with --http-probe-off"
            + " --continue-after timeout:SECONDS", container.logTail(LOG_LINES), null);
      }
    }
    for (PlannedProbe p : plan) {
      FirstAnswer answer = first(container, p);
      firsts.add(answer);
      sent.answered(answer.answer().result());
    }
    List<String> crawled = new ArrayList<>();
    List<String> skipped = List.of();
    boolean truncated = false;
    if (settings.crawl() != null && !plan.isEmpty()) {
      CrawlResult crawl = crawl(container, firsts.stream().map(f -> f.answer().result()).toList());
      truncated = crawl.truncated();
      skipped = crawl.skipped();
      for (CrawlResult.Page page : crawl.pages()) {
        crawled.add(page.probe().describe());
        if (sent.add(page.probe()) && page.fetch().result().answered()) {
          firsts.add(new FirstAnswer(HttpAnswer.of(page.fetch(), true), ProbeSource.CRAWL, sleeper.nanoTime()));
        }
      }
    }
    for (PlannedProbe p : specProbes(container, plan)) {
      if (sent.add(p.probe())) {
        firsts.add(first(container, p));
      }
    }
    List<ProbeOutcome> outcomes = secondRound(container, firsts);
    List<Integer> ready = new ArrayList<>();
    List<Integer> unready = new ArrayList<>();
    if (!settings.tcpProbes().isEmpty() || !settings.execs().isEmpty()) {
      // TCP and exec probes run once the app is as ready as it gets, so that a command that
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
    ProbeEnd ended = stopWaiter.await(settings.continueAfter(), container);
    ContainerState state = container.state();
    if (!state.running() && !(ended instanceof ProbeEnd.AppExited)) { // an exit in the wait was judged there
      // killed or crashed mid-probe: the answers and the file list stop where it died
      stopWaiter.refuseExit(container, state, "probed");
    }
    return new ProbeRecording(outcomes, crawled, truncated, skipped, ready, unready, others, tcp, execs, ended);
  }

  /** Replays a recording against another container (the slim image), once each. */
  public Replay replay(RunningContainer container, ProbeRecording recording) throws BuildException {
    sleep(settings.startWait());
    List<HttpProbe> probes = recording.http().stream().map(o -> o.result().probe()).toList();
    awaitReady(container, probes, Set.of());
    List<HttpAnswer> http = new ArrayList<>();
    for (HttpProbe probe : probes) {
      http.add(send(container, probe, true));
    }
    if (!recording.tcp().isEmpty() || !recording.exec().isEmpty()) {
      // as ready as the original was when its TCP and exec probes ran: the same ports accept
      long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
      for (int port : recording.readyPorts()) {
        if (!awaitAccepting(container, port, deadline)) {
          throw new BuildException(FailureKind.BUILD_FAILED, "port " + port + " did not accept connections within "
              + settings.startTimeout().toSeconds() + "s (the original's did before its TCP and exec probes)",
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
    return new Replay(http, tcp, execs);
  }

  /**
   * A probe's first answer from the original, waiting for its second.
   *
   * @param answeredNanos when the answer was in ({@link Sleeper#nanoTime()}), or later: the second
   *                      request of this probe is sent at least {@link #STABILITY_GAP} after it
   */
  private record FirstAnswer(HttpAnswer answer, ProbeSource source, long answeredNanos) {}

  private FirstAnswer first(RunningContainer container, PlannedProbe planned) throws BuildException {
    HttpProbe probe = planned.probe();
    HttpAnswer answer = send(container, probe, true);
    ProbeResult first = answer.result();
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
    return new FirstAnswer(answer, planned.source(), sleeper.nanoTime());
  }

  /**
   * Sends every probe a second time to learn which bodies are stable. Each probe's second
   * request goes out at least {@link #STABILITY_GAP} after its first answer came in: the most
   * common volatile body holds a timestamp in whole seconds (a Date, a gzip header's MTIME),
   * and two requests within one second would call it stable (with keep-alive they take
   * milliseconds). A gap per probe, not per round: a round that ran fast would otherwise
   * bring a late probe of the first round and its second request into the same second.
   */
  private List<ProbeOutcome> secondRound(RunningContainer container, List<FirstAnswer> firsts) throws BuildException {
    List<ProbeOutcome> outcomes = new ArrayList<>();
    for (FirstAnswer f : firsts) {
      long wait = f.answeredNanos() + STABILITY_GAP.toNanos() - sleeper.nanoTime();
      if (wait > 0) {
        sleep(Duration.ofNanos(wait));
      }
      HttpAnswer second = send(container, f.answer().result().probe(), false);
      outcomes.add(new ProbeOutcome(f.answer(), second, f.source()));
    }
    return outcomes;
  }

  private CrawlResult crawl(RunningContainer container, List<ProbeResult> done) throws BuildException {
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
    Crawler crawler = new Crawler(
        p -> prober.fetch(p, hostPorts.get(p.containerPort()), retry, Crawler.MAX_PAGE_BYTES), settings.crawl());
    try {
      return crawler.crawl(seeds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while crawling");
    }
  }

  /** The spec's operations: from the file on every probed port, or from the app on the port that served it. */
  private List<PlannedProbe> specProbes(RunningContainer container, List<PlannedProbe> plan) throws BuildException {
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
      HttpFetch spec = prober.fetch(HttpProbe.get(port, path), hostPort(container, port), retry, MAX_SPEC_BYTES);
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
    long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
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
      sleep(READINESS_PAUSE);
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
      sleep(READINESS_PAUSE);
    }
  }

  private ExecOutcome exec(RunningContainer container, ExecCommand command) {
    ExecResult r = containers.exec(container.id(), command.argv(), settings.startTimeout());
    return new ExecOutcome(command, r);
  }

  /** One request; the body's first bytes are read for its shape, and kept when {@code keepHead}. */
  private HttpAnswer send(RunningContainer container, HttpProbe probe, boolean keepHead) throws BuildException {
    return HttpAnswer.of(prober.fetch(probe, hostPort(container, probe.containerPort()), retry, HttpAnswer.KEPT_BYTES),
        keepHead);
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
    long deadline = sleeper.nanoTime() + settings.startTimeout().toNanos();
    for (HttpProbe probe : probes) {
      if (!waited.add(probe.containerPort())) {
        continue;
      }
      int hostPort = hostPort(container, probe.containerPort());
      HttpProbe readiness = new HttpProbe(probe.protocol(), "GET", probe.path(), probe.containerPort(),
          probe.headers(), HttpBody.empty());
      long otherSince = -1; // when the port first showed it speaks something else, in this streak
      long loopbackSince = -1; // when it was first seen listened on at loopback addresses alone
      while (true) {
        ContainerState state = container.state();
        if (!state.running()) {
          throw new BuildException(FailureKind.BUILD_FAILED,
              StopWaiter.appExited(state) + " before port " + probe.containerPort()
                  + " answered" + (state.error().isEmpty() ? "" : " (" + state.error() + ")"),
              container.logTail(LOG_LINES), null);
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
          throw new BuildException(FailureKind.BUILD_FAILED, unanswered(probe.containerPort(), readiness,
              settings.startTimeout(), r, loopback), container.logTail(LOG_LINES), null);
        }
        sleep(READINESS_PAUSE);
      }
    }
    return others;
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
