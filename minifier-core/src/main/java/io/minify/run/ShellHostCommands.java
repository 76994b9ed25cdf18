package io.minify.run;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code --host-exec} commands through this host's {@code /bin/sh -c}, as the user who
 * runs minify, in minify's working directory and environment (plus the target's address).
 * Stdin is empty: a suite that asks a question must not wait for minify's terminal.
 */
public final class ShellHostCommands implements HostCommands {

  /** How long a killed command and what it started get to end after SIGTERM, before SIGKILL. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);

  private final AtomicReference<Process> running = new AtomicReference<>();

  @Override
  public HostExecResult run(HostExecCommand command, Map<String, String> targetEnvironment, Duration timeout,
      Path outputFile) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command.argv())
        .redirectErrorStream(true)
        // appended: after a suite truncates it by opening /dev/stderr anew (tee /dev/stderr), the
        // shell's writes go on at the new end, not at their old offset behind a hole of NUL bytes
        .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(targetEnvironment);
    Files.deleteIfExists(outputFile);
    long started = System.nanoTime();
    Process process = builder.start();
    running.set(process);
    boolean timedOut = false;
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        killTree(process);
      }
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    } finally {
      running.compareAndSet(process, null);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    try {
      long size = Files.size(outputFile);
      return new HostExecResult(timedOut ? -1 : process.exitValue(), tail(outputFile, size), size, elapsed, timedOut);
    } finally {
      Files.deleteIfExists(outputFile);
    }
  }

  @Override
  public void stopRunning() {
    Process process = running.get();
    if (process != null) {
      killTree(process);
    }
  }

  /**
   * SIGTERM to the shell and everything it started (as they are now: once the shell is gone,
   * its children are no longer its descendants), then SIGKILL to what is left after the grace.
   */
  private static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + KILL_GRACE.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          p.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // still running after the grace: killed below
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static byte[] tail(Path file, long size) throws IOException {
    int n = (int) Math.min(size, HostExecResult.TAIL_BYTES);
    byte[] bytes = new byte[n];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(size - n);
      in.readFully(bytes);
    }
    return bytes;
  }
}
