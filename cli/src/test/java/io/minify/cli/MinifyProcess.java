package io.minify.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code minify} jar run as its own process, for what only a process can show: signals
 * (Ctrl-C, SIGUSR1) and their effect on a build in progress.
 */
final class MinifyProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader output;
  private final StringBuilder seen = new StringBuilder();

  private MinifyProcess(Process process) {
    this.process = process;
    this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code java -jar target/minify.jar ARGS} with stderr merged into stdout. */
  static MinifyProcess start(String... args) throws IOException {
    return startWith(Map.of(), args);
  }

  /** Like {@link #start}, with {@code environment} added to this JVM's. */
  static MinifyProcess startWith(Map<String, String> environment, String... args) throws IOException {
    // a shell without job control starts a background job (mvn verify ... &) with SIGINT and
    // SIGQUIT ignored, the JVM keeps what it inherited, and a Ctrl-C the test sends would then
    // never arrive: env resets them to the default and execs java (the same pid)
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,QUIT", "java", "-jar",
        Path.of("target", "minify.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new MinifyProcess(builder.start());
  }

  /** Reads output until a line contains {@code cue}; false when the process ended first. */
  boolean awaitLine(String cue) throws IOException {
    String line;
    while ((line = output.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains(cue)) {
        return true;
      }
    }
    return false;
  }

  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
  }

  /** Waits for the exit, reading the rest of the output; the exit code, or -1 on timeout. */
  int awaitExit(int seconds) throws IOException, InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      return -1;
    }
    output.lines().forEach(l -> seen.append(l).append('\n'));
    return process.exitValue();
  }

  /**
   * SIGKILL, as {@code kill -9} sends it ({@link Process#destroyForcibly}): the JVM (started
   * directly, no shell in between) runs no shutdown hook, so it cleans up nothing. Waits for the
   * exit and returns its code (137).
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process printed so far. */
  String output() {
    return seen.toString();
  }

  /**
   * Ends a build a failed assertion left running: SIGTERM first, so that it removes its
   * containers, files and tags from the shared engine as a user's Ctrl-C would; SIGKILL only
   * if it does not end.
   */
  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process.destroyForcibly();
    output.close();
  }
}
