package io.minify.run;

import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbeResult;
import java.util.List;

/** The slim image's answers to a {@link ProbeRecording}, in the same order. */
public record Replay(List<ProbeResult> http, List<TcpProbeResult> tcp, List<ExecOutcome> exec) {

  public Replay {
    http = List.copyOf(http);
    tcp = List.copyOf(tcp);
    exec = List.copyOf(exec);
  }
}
