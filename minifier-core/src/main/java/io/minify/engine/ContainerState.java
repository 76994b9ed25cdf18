package io.minify.engine;

/**
 * A container's run state.
 *
 * @param running  whether its first process still runs
 * @param pid      host pid of its first process, 0 when not running
 * @param exitCode exit code once it stopped
 * @param error    the engine's error text (e.g. an exec failure), "" when none
 */
public record ContainerState(boolean running, int pid, int exitCode, String error) {}
