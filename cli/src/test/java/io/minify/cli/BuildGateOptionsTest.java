package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.digest.Digest;
import io.minify.report.BuildReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gates of {@code minify build} judge the verified result: ratio and slim size. */
class BuildGateOptionsTest {

  /** A report of a 100 MB image made 20 MB: ratio 5.0. */
  private static BuildReport report() {
    return new BuildReport("0", "engine", "app:1", Digest.parse("sha256:" + "a".repeat(64)), "app.slim:1",
        Digest.parse("sha256:" + "b".repeat(64)),
        new BuildReport.ImageStats(100_000_000, 10, 5), new BuildReport.ImageStats(20_000_000, 4, 2), 5.0,
        BuildReport.ElfStripping.OFF, 1,
        List.of(), List.of(), new BuildReport.AccessSummary(2, 1, 3, 0), Map.of(), Map.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(),
        new BuildReport.ProbeSummary(List.of(), false, List.of(), List.of(), "probe", List.of()), List.of());
  }

  private static List<String> failures(String... args) {
    CommandLine line = new CommandLine(new BuildGateOptions());
    line.parseArgs(args);
    BuildGateOptions gates = line.getCommand();
    return gates.failures(report());
  }

  @Test
  void noGateNoFailure() {
    assertEquals(List.of(), failures());
  }

  @Test
  void gatesThatHoldPass() {
    assertEquals(List.of(), failures("--fail-if-ratio-below", "5", "--max-size", "20MB"));
  }

  @Test
  void eachGateThatDoesNotHoldIsNamed() {
    assertEquals(List.of("ratio 5.0 is below --fail-if-ratio-below 6.5",
        "the slim image is 20000000 bytes (19.1 MiB), above --max-size 10MB"),
        failures("--fail-if-ratio-below", "6.5", "--max-size", "10MB"));
  }
}
