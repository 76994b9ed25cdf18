package io.minify.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * How one run of a {@code --host-exec} command ended.
 *
 * @param exitCode    the shell's exit code (128+N when a signal N ended it); -1 when it did
 *                    not finish within the time limit and was killed
 * @param outputTail  the last bytes of its stdout and stderr, interleaved as they came (a test
 *                    suite may print anything, so these stay bytes)
 * @param outputBytes how many bytes it printed in all
 * @param elapsed     how long it ran
 * @param timedOut    whether it was still running when the time limit passed
 */
public record HostExecResult(int exitCode, byte[] outputTail, long outputBytes, Duration elapsed, boolean timedOut) {

  /** How much of the output is kept: enough for the lines a message quotes, bounded for any suite. */
  public static final int TAIL_BYTES = 64 * 1024;

  public HostExecResult {
    outputTail = outputTail.clone();
  }

  @Override
  public byte[] outputTail() {
    return outputTail.clone();
  }

  /**
   * The last {@code lines} non-blank lines of the output, joined with " | " into one line for a
   * message (invalid UTF-8 shown as U+FFFD), at most {@code maxChars} characters: never for comparing.
   */
  public String lastLines(int lines, int maxChars) {
    List<String> all = new String(outputTail, StandardCharsets.UTF_8).lines().map(String::strip)
        .filter(l -> !l.isEmpty()).toList();
    String joined = String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    return joined.length() <= maxChars ? joined : "..." + joined.substring(joined.length() - maxChars + 3);
  }

  /** "exit code 1", or "no exit within 600s (killed)". */
  public String describeEnd(Duration limit) {
    return timedOut ? "no exit within " + limit.toSeconds() + "s (killed)" : "exit code " + exitCode;
  }
}
