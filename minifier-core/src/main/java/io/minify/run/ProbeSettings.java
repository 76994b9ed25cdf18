package io.minify.run;

import io.minify.probe.HttpProbe;
import java.time.Duration;
import java.util.List;

/**
 * How the app is driven while it is watched.
 *
 * @param httpProbes   probes beyond the default {@code GET /} on every exposed TCP port
 *                     (a probe on port {@code ProbeCommandParser.ANY_PORT} runs on each)
 * @param startTimeout how long the app may take until its ports answer
 */
public record ProbeSettings(List<HttpProbe> httpProbes, Duration startTimeout) {

  public ProbeSettings {
    httpProbes = List.copyOf(httpProbes);
  }

  public static ProbeSettings defaults() {
    return new ProbeSettings(List.of(), Duration.ofSeconds(60));
  }
}
