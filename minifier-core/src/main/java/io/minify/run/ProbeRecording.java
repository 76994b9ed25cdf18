package io.minify.run;

import io.minify.probe.tcp.TcpProbeResult;
import java.util.List;

/**
 * Everything the original image was asked and how it answered, as concrete requests: crawled
 * pages and spec calls are in {@code http} like any other probe, so verification replays
 * exactly this list and never has to crawl or read the spec again.
 *
 * @param http           every HTTP request, in the order sent
 * @param crawledPages   "METHOD :port/path" of every page the crawler visited (empty: no crawl)
 * @param crawlTruncated whether the crawl bounds left links unvisited
 * @param crawlSkipped   links the crawler found but did not follow because they look destructive
 * @param readyPorts     the published container ports that accepted connections before the
 *                       TCP and exec probes ran (empty when there were none): the slim image's
 *                       must accept too before those probes are replayed
 * @param unreadyPorts   published ports that did not accept connections within the start
 *                       timeout (the probes ran anyway; the slim image need not open them)
 * @param otherPorts     exposed ports HTTP probing would have used that speak something else:
 *                       not probed over HTTP; the slim image's must accept connections
 * @param tcp            TCP probes
 * @param exec           commands run in the container
 * @param continuedAfter what ended the probe stage
 * @param hostExec       {@code --host-exec} commands run on this host against the container
 */
public record ProbeRecording(List<ProbeOutcome> http, List<String> crawledPages, boolean crawlTruncated,
    List<String> crawlSkipped, List<Integer> readyPorts, List<Integer> unreadyPorts, List<OtherPort> otherPorts,
    List<TcpProbeResult> tcp,
    List<ExecOutcome> exec, ProbeEnd continuedAfter, List<HostExecOutcome> hostExec) {

  /** A recording without host-exec commands. */
  public ProbeRecording(List<ProbeOutcome> http, List<String> crawledPages, boolean crawlTruncated,
      List<String> crawlSkipped, List<Integer> readyPorts, List<Integer> unreadyPorts, List<OtherPort> otherPorts,
      List<TcpProbeResult> tcp, List<ExecOutcome> exec, ProbeEnd continuedAfter) {
    this(http, crawledPages, crawlTruncated, crawlSkipped, readyPorts, unreadyPorts, otherPorts, tcp, exec,
        continuedAfter, List.of());
  }

  public ProbeRecording {
    hostExec = List.copyOf(hostExec);
    http = List.copyOf(http);
    crawledPages = List.copyOf(crawledPages);
    crawlSkipped = List.copyOf(crawlSkipped);
    readyPorts = List.copyOf(readyPorts);
    unreadyPorts = List.copyOf(unreadyPorts);
    otherPorts = List.copyOf(otherPorts);
    tcp = List.copyOf(tcp);
    exec = List.copyOf(exec);
  }

  public int size() {
    return http.size() + tcp.size() + exec.size() + hostExec.size();
  }

  /**
   * This recording without its host-exec commands: what a second, unwatched run of the
   * original replays to tell run-dependent pages, which need no second run of a test suite.
   */
  public ProbeRecording withoutHostExecs() {
    return new ProbeRecording(http, crawledPages, crawlTruncated, crawlSkipped, readyPorts, unreadyPorts, otherPorts,
        tcp, exec, continuedAfter, List.of());
  }
}
