package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.pipeline.BuildOptions;
import io.minify.run.ProbeSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --http-probe-request-timeout}: the time limit of each HTTP request; parsed without an engine. */
class RequestTimeoutOptionTest {

  @Test
  void theDefaultIsTheSettingsDefault() {
    assertEquals(Duration.ofSeconds(30), settings("build", "app:1").requestTimeout());
    assertEquals(ProbeSettings.defaults().requestTimeout(), settings("build", "app:1").requestTimeout());
  }

  @Test
  void givenSecondsBecomeTheLimit() {
    assertEquals(Duration.ofSeconds(2), settings("build", "app:1", "--http-probe-request-timeout", "2")
        .requestTimeout());
    assertEquals(Duration.ofSeconds(3600), settings("build", "app:1", "--http-probe-request-timeout", "3600")
        .requestTimeout());
  }

  @Test
  void theHelpNamesItAndItsDefault() {
    String text = MinifyCommand.newCommandLine().getSubcommands().get("build").getUsageMessage()
        .replaceAll("\\s+", " ");
    assertTrue(text.contains("--http-probe-request-timeout=SECONDS How long one HTTP request, readiness checks"
        + " included, may take until its response is complete (default: 30)."), text);
  }

  private static ProbeSettings settings(String... args) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    CommandLine.ParseResult parsed = cmd.parseArgs(args);
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    return build.probing.applyTo(BuildOptions.defaults("app:1").toBuilder()).build().probing();
  }
}
