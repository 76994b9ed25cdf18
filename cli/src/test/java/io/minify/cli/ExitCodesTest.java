package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.failure.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every code the program returns is listed where a user looks (issue 16: 70 and 143 were
 * returned and documented nowhere), and a fault of minify's own is 70 with one line.
 */
class ExitCodesTest {

  @Test
  void everyCommandsHelpEndsWithEveryExitCode() {
    for (String[] help : new String[][] {{"--help"}, {"build", "--help"}, {"xray", "--help"}, {"diff", "--help"},
        {"debug", "--help"}}) {
      CliRun run = CliRun.of(help);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("Exit codes:\n  0 ok\n"), run.out());
      for (FailureKind kind : FailureKind.values()) {
        assertTrue(run.out().contains("\n  " + kind.describe() + "\n"), String.join(" ", help) + " lacks " + kind);
      }
    }
  }

  @Test
  void theReadmesTableHasARowForEveryCode() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    assertTrue(readme.contains("\n| `0` | ok |"), "the row of 0");
    for (FailureKind kind : FailureKind.values()) {
      assertTrue(readme.contains("\n| `" + kind.exitCode() + "` | "), "README has no row for " + kind);
    }
  }

  @Test
  void aFaultOfMinifysOwnIsSeventyWithOneLine() {
    CliRun run = CliRun.withEngine(() -> {
      throw new IllegalStateException("a bug");
    }, "build", "app:1", "--no-report");
    assertEquals(FailureKind.INTERNAL.exitCode(), run.exitCode(), run.toString());
    assertEquals("minify: internal error: java.lang.IllegalStateException: a bug\n", run.err());
  }
}
