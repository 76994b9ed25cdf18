package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a run's {@code err} leaves out: only the reaper's lines about other, killed builds. */
class CliRunTest {

  @Test
  void theReapersLinesAboutOtherBuildsAreLeftOutAndEveryOtherLineStaysInOrder() {
    String all = "minify: removed what a build that ended without cleaning up left (pid 19395, container b1baa26ce3b3)\n"
        + "minify: warning: cannot remove all that a build that ended without cleaning up (pid 7) left: busy\n"
        + "minify: error: probe: no answer\n"
        + "  removed what a build that ended without cleaning up left (pid 1) is not at the start\n"
        + "last line without a newline";
    assertEquals("minify: error: probe: no answer\n"
        + "  removed what a build that ended without cleaning up left (pid 1) is not at the start\n"
        + "last line without a newline", CliRun.withoutReapedLines(all));
  }

  @Test
  void aRunThatSaidNothingStaysEmpty() {
    assertEquals("", CliRun.withoutReapedLines(""));
  }
}
