package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.pipeline.BuildOptions;
import io.minify.probe.HttpProbe;
import io.minify.verify.LoosePaths;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --verify-loose} and probe paths with colons: parsed and validated without an engine. */
class VerifyLooseOptionTest {

  @Test
  void patternsAreKeptInOrderAndMatchPaths() {
    LoosePaths loose = options("build", "app:1", "--verify-loose", "/status", "--verify-loose", "/books/*")
        .loosePaths();
    assertEquals(List.of("/status", "/books/*"), loose.patterns());
    assertTrue(loose.matches(HttpProbe.get(8080, "/books/7?lang=de")));
    assertFalse(loose.matches(HttpProbe.get(8080, "/")));
    assertEquals(LoosePaths.none(), options("build", "app:1").loosePaths());
  }

  @Test
  void aPatternThatIsNoPathIsRefusedNamingIt() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--verify-loose", "books/*"),
        "--verify-loose: path pattern 'books/*' must start with '/'");
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--http-probe-off", "--continue-after", "timeout:1",
        "--verify-loose", "/x"), "--verify-loose needs HTTP probing, which --http-probe-off turns off");
  }

  @Test
  void aProbePathKeepsItsColons() {
    assertEquals("/api/time?zone=Europe/Berlin&at=2024-07-01T12:00:00Z", options("build", "app:1",
        "--http-probe-cmd", "GET:/api/time?zone=Europe/Berlin&at=2024-07-01T12:00:00Z").probing().httpProbes().get(0)
        .probe().path());
  }

  private static BuildOptions options(String... args) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    CommandLine.ParseResult parsed = cmd.parseArgs(args);
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    return build.probing.applyTo(BuildOptions.defaults("app:1").toBuilder()).build();
  }
}
