package io.minify.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A command run inside a container.
 *
 * @param exitCode the exit code the engine recorded; -1 when it did not finish within the
 *                 timeout
 * @param output   the last bytes of its stdout and stderr, interleaved as they came, at most
 *                 a few KiB (commands may print anything, so these stay bytes)
 * @param elapsed  how long it ran
 * @param timedOut whether it was still running when the timeout passed
 */
public record ExecResult(int exitCode, byte[] output, Duration elapsed, boolean timedOut) {

  public ExecResult {
    output = output.clone();
  }

  @Override
  public byte[] output() {
    return output.clone();
  }

  /** The output for a message to the user (invalid UTF-8 shown as U+FFFD): never for comparing. */
  public String outputText() {
    return new String(output, StandardCharsets.UTF_8);
  }
}
