package io.minify.cli;

import io.minify.build.BuildOptions;
import io.minify.probe.ProbeCommandParser;
import io.minify.run.ProbeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the app is driven while minify watches it. */
final class ProbeOptions {

  @Option(names = "--http-probe", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Probe with HTTP GET / on every exposed port (default: on).")
  boolean httpProbe;

  @Option(names = "--http-probe-cmd", paramLabel = "[PROTO:]METHOD:PATH",
      description = "An extra probe, repeatable: e.g. GET:/health, post:/api/items, https:get:/."
          + " Runs on every exposed port, after GET /.")
  List<String> probeCommands = new ArrayList<>();

  @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long the app may take until its ports answer (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds;

  void validate(CommandLine line) {
    for (String cmd : probeCommands) {
      try {
        ProbeCommandParser.parse(cmd);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(line, "--http-probe-cmd: " + e.getMessage());
      }
    }
    if (startTimeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(line, "--start-timeout must be a positive number of seconds");
    }
    if (!httpProbe) {
      throw new CommandLine.ParameterException(line,
          "--no-http-probe: HTTP probing is the only way to drive the app in this version");
    }
  }

  BuildOptions applyTo(BuildOptions options) {
    return options.withProbing(new ProbeSettings(
        probeCommands.stream().map(ProbeCommandParser::parse).toList(), Duration.ofSeconds(startTimeoutSeconds)));
  }
}
