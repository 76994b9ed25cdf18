package io.minify.run;

import io.minify.probe.tcp.TcpProbeResult;
import java.util.List;

/**
 * The answers of another run (the slim image's, or the original's again) to a
 * {@link ProbeRecording}, in the same order.
 */
public record Replay(List<HttpAnswer> http, List<TcpProbeResult> tcp, List<ExecOutcome> exec,
    List<HostExecOutcome> hostExec) {

  /** A replay without host-exec commands. */
  public Replay(List<HttpAnswer> http, List<TcpProbeResult> tcp, List<ExecOutcome> exec) {
    this(http, tcp, exec, List.of());
  }

  public Replay {
    hostExec = List.copyOf(hostExec);
    http = List.copyOf(http);
    tcp = List.copyOf(tcp);
    exec = List.copyOf(exec);
  }
}
