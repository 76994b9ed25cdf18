package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.ImageConfig;
import io.minify.probe.HttpProbe;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.ProbeSource;
import io.minify.probe.tcp.TcpProbe;
import io.minify.run.ProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP probes a build sends, made concrete for the image's ports, and checked against them. */
final class ProbePlan {

  private ProbePlan() {}

  /**
   * {@code GET /} on every probed port (the exposed TCP ports, or {@code --http-probe-ports}),
   * then the user's probes; a probe without a port runs on every probed port. Duplicates are
   * dropped, order is kept. Empty when HTTP probing is off.
   */
  static List<PlannedProbe> of(ImageConfig config, ProbeSettings settings) {
    if (!settings.http()) {
      return List.of();
    }
    Map<HttpProbe, PlannedProbe> plan = new LinkedHashMap<>();
    List<Integer> ports = settings.httpPorts().isEmpty() ? config.exposedTcpPorts() : settings.httpPorts();
    for (int port : ports) {
      PlannedProbe root = PlannedProbe.of(HttpProbe.get(port, "/"), ProbeSource.DEFAULT);
      plan.putIfAbsent(root.probe(), root);
    }
    for (PlannedProbe p : settings.httpProbes()) {
      if (p.probe().containerPort() == ProbeCommandParser.ANY_PORT) {
        for (int port : ports) {
          PlannedProbe concrete = p.onPort(port);
          plan.putIfAbsent(concrete.probe(), concrete);
        }
      } else {
        plan.putIfAbsent(p.probe(), p);
      }
    }
    return List.copyOf(plan.values());
  }

  /** Every probe must reach a port the image exposes; checked before anything starts. */
  static void checkFits(String image, ProbeSettings probing, List<PlannedProbe> plan, List<Integer> ports)
      throws BuildException {
    if (probing.http() && plan.isEmpty()) {
      throw new BuildException(FailureKind.BAD_INPUT, "image '" + image + "' exposes no TCP port, so there is"
          + " nothing to probe over HTTP (for a non-HTTP app use --http-probe-off with --tcp-probe, --exec or"
          + " --continue-after)");
    }
    for (PlannedProbe p : plan) {
      if (!ports.contains(p.probe().containerPort())) {
        throw new BuildException(FailureKind.BAD_INPUT, "probe " + p.probe().describe() + " targets port "
            + p.probe().containerPort() + ", which the image does not expose (exposed: " + ports + ")");
      }
    }
    for (TcpProbe t : probing.tcpProbes()) {
      if (!ports.contains(t.containerPort())) {
        throw new BuildException(FailureKind.BAD_INPUT, "--tcp-probe " + t.containerPort()
            + ": the image does not expose that port (exposed: " + ports + ")");
      }
    }
  }
}
