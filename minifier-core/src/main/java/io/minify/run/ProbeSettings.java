package io.minify.run;

import io.minify.probe.HttpProbe;
import io.minify.probe.PlannedProbe;
import io.minify.probe.crawl.CrawlLimits;
import io.minify.probe.tcp.TcpProbe;
import java.time.Duration;
import java.util.List;

/**
 * How the app is driven while it is watched (docs/design.md stage 4). Everything here is checked
 * before a container starts; only an API spec fetched from the app can fail later.
 *
 * @param http           whether HTTP probing runs at all ({@code --http-probe-off} turns it off)
 * @param httpProbes     probes beyond the default {@code GET /} (from {@code --http-probe-cmd}
 *                       and the probe file); port {@code ProbeCommandParser.ANY_PORT} means
 *                       every probed port
 * @param httpPorts      the container ports HTTP probes go to; empty: every exposed TCP port
 * @param startTimeout   how long the app may take until its ports answer
 * @param startWait      a pause after the start, before the first probe
 * @param retries        retries of a probe that got no complete response
 * @param retryWait      pause between those retries
 * @param requestTimeout how long one HTTP request may take until its response is complete,
 *                       readiness checks included ({@code --http-probe-request-timeout})
 * @param crawl          crawl bounds, null for no crawl
 * @param apiSpecPath    a path on the app that serves an OpenAPI/Swagger spec, null for none
 * @param apiSpecProbes  requests from a spec read from a file (for any port)
 * @param tcpProbes      TCP probes, after the HTTP ones
 * @param execs          commands run inside the container, after the probes
 * @param continueAfter  when the probe stage ends
 * @param hostExecs      commands run on this host against the container's published ports,
 *                       after the exec commands ({@code --host-exec}, {@code --host-exec-file})
 * @param hostExecTimeout how long one host-exec command may run ({@code --host-exec-timeout})
 */
public record ProbeSettings(
    boolean http,
    List<PlannedProbe> httpProbes,
    List<Integer> httpPorts,
    Duration startTimeout,
    Duration startWait,
    int retries,
    Duration retryWait,
    Duration requestTimeout,
    CrawlLimits crawl,
    String apiSpecPath,
    List<HttpProbe> apiSpecProbes,
    List<TcpProbe> tcpProbes,
    List<ExecCommand> execs,
    ContinueAfter continueAfter,
    List<HostExecCommand> hostExecs,
    Duration hostExecTimeout) {

  /** The time limit of a host-exec command when none is given: a test suite may take a while. */
  public static final Duration DEFAULT_HOST_EXEC_TIMEOUT = Duration.ofMinutes(10);

  public ProbeSettings {
    hostExecs = List.copyOf(hostExecs);
    httpProbes = List.copyOf(httpProbes);
    httpPorts = List.copyOf(httpPorts);
    apiSpecProbes = List.copyOf(apiSpecProbes);
    tcpProbes = List.copyOf(tcpProbes);
    execs = List.copyOf(execs);
  }

  /** Settings without host-exec commands. */
  public ProbeSettings(boolean http, List<PlannedProbe> httpProbes, List<Integer> httpPorts, Duration startTimeout,
      Duration startWait, int retries, Duration retryWait, Duration requestTimeout, CrawlLimits crawl,
      String apiSpecPath, List<HttpProbe> apiSpecProbes, List<TcpProbe> tcpProbes, List<ExecCommand> execs,
      ContinueAfter continueAfter) {
    this(http, httpProbes, httpPorts, startTimeout, startWait, retries, retryWait, requestTimeout, crawl, apiSpecPath,
        apiSpecProbes, tcpProbes, execs, continueAfter, List.of(), DEFAULT_HOST_EXEC_TIMEOUT);
  }

  /** These settings with {@code commands} run on the host, each within {@code timeout}. */
  public ProbeSettings withHostExecs(List<HostExecCommand> commands, Duration timeout) {
    return new ProbeSettings(http, httpProbes, httpPorts, startTimeout, startWait, retries, retryWait, requestTimeout,
        crawl, apiSpecPath, apiSpecProbes, tcpProbes, execs, continueAfter, commands, timeout);
  }

  /** The request time limit when none is given: a page that takes longer is a fault worth hearing of. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** GET / on every exposed port, 60 s to start, two retries, 30 s a request: what a build without options does. */
  public static ProbeSettings defaults() {
    return new ProbeSettings(true, List.of(), List.of(), Duration.ofSeconds(60), Duration.ZERO, 2,
        Duration.ofMillis(500), DEFAULT_REQUEST_TIMEOUT, null, null, List.of(), List.of(), List.of(),
        ContinueAfter.PROBE);
  }
}
