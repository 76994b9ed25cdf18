package io.minify.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * This host's shell, which runs the {@code --host-exec} commands. {@link ShellHostCommands} is
 * the real one; pipeline and driver tests use fakes that answer with chosen exit codes.
 */
public interface HostCommands {

  /**
   * Runs {@code command} in minify's working directory with minify's environment plus
   * {@code targetEnvironment}, stdin empty, its stdout and stderr into {@code outputFile}, and
   * waits for it; one still running after {@code timeout} is killed with what it started.
   *
   * @throws IOException the command could not be started at all (no shell, no such directory)
   * @throws InterruptedException the wait was interrupted (the command is killed first)
   */
  HostExecResult run(HostExecCommand command, Map<String, String> targetEnvironment, Duration timeout,
      Path outputFile) throws IOException, InterruptedException;

  /**
   * Kills the command running now, if any, with what it started: the build is being aborted
   * (Ctrl-C, SIGTERM) from another thread, and a test suite must not outlive it.
   */
  void stopRunning();
}
