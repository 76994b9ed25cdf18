package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.pipeline.BuildOptions;
import io.minify.probe.crawl.CrawlLimits;
import io.minify.run.ProbeSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --http-probe} crawls unless told not to; parsed and validated without an engine. */
class CrawlOptionTest {

  @Test
  void httpProbingCrawlsByDefaultWithinTheDefaultBounds() {
    assertEquals(CrawlLimits.defaults(), settings("build", "app:1").crawl());
    assertEquals(CrawlLimits.defaults(), settings("build", "app:1", "--http-probe").crawl());
  }

  @Test
  void theBoundsFlagsApplyToTheDefaultCrawl() {
    assertEquals(new CrawlLimits(1, 20, 2), settings("build", "app:1", "--http-crawl-max-depth", "1",
        "--http-crawl-max-pages", "20", "--http-crawl-concurrency", "2").crawl());
  }

  @Test
  void bothNegatedFormsTurnTheCrawlOff() {
    assertNull(settings("build", "app:1", "--no-http-probe-crawl").crawl());
    assertNull(settings("build", "app:1", "--http-probe-crawl=false").crawl());
    assertEquals(CrawlLimits.defaults(), settings("build", "app:1", "--http-probe-crawl=true").crawl());
    assertEquals(CrawlLimits.defaults(), settings("build", "app:1", "--http-probe-crawl").crawl());
  }

  @Test
  void noHttpProbingMeansNoCrawlAndOnlyAnExplicitCrawlIsRefused() {
    assertNull(settings("build", "app:1", "--http-probe-off", "--continue-after", "timeout:1").crawl());
    assertNull(settings("build", "app:1", "--http-probe-off", "--no-http-probe-crawl", "--continue-after",
        "timeout:1").crawl());
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--http-probe-off", "--http-probe-crawl",
        "--continue-after", "timeout:1"), "--http-probe-crawl needs HTTP probing, which --http-probe-off turns off");
  }

  @Test
  void aValueThatIsNoBooleanIsRefusedNamingIt() {
    CliRun run = CliRun.of("build", "app:1", "--http-probe-crawl=sometimes");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.err().strip().lines().count(), run.toString());
    assertTrue(run.err().contains("--http-probe-crawl") && run.err().contains("sometimes"), run.toString());
  }

  private static ProbeSettings settings(String... args) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    CommandLine.ParseResult parsed = cmd.parseArgs(args);
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    return build.probing.applyTo(BuildOptions.defaults("app:1").toBuilder()).build().probing();
  }
}
