package io.minify.run;

import java.nio.file.Path;

/**
 * Where the {@link ProbeDriver} runs {@code --host-exec} commands: this host's shell, and the
 * build's work directory, which holds each run's output while it runs (a file, not a pipe, so
 * a suite that leaves a background process holding its stdout cannot hang the build).
 */
public record HostExecs(HostCommands commands, Path outputDirectory) {

  /** For a driver that is never given a host-exec command (a caller that has no work directory). */
  public static HostExecs none() {
    return new HostExecs(null, null);
  }

  boolean available() {
    return commands != null && outputDirectory != null;
  }
}
