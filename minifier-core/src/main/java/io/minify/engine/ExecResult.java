package io.minify.engine;

import java.time.Duration;

/**
 * A command run inside a container.
 *
 * @param exitCode its exit code; -1 when it did not finish within the timeout
 * @param output   its stdout and stderr, interleaved, at most a few KiB (the tail is kept)
 * @param elapsed  how long it ran
 * @param timedOut whether it was still running when the timeout passed
 */
public record ExecResult(int exitCode, String output, Duration elapsed, boolean timedOut) {}
