package io.minify.sensor.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Holds a container's command until the host is ready to watch it. {@link StartGate} is the
 * real one (a FIFO the container blocks on); pipeline tests use one that never blocks.
 */
public interface Gate extends AutoCloseable {

  /** The directory the engine mounts read-only at {@link StartGate#CONTAINER_DIR}. */
  Path hostDirectory();

  /** The command that waits for {@link #release} and then execs {@code command}. */
  List<String> wrap(List<String> command);

  /**
   * Whether {@code containerRoot} (a container's root as this process sees it) holds this very
   * gate at {@link StartGate#CONTAINER_DIR}: then the container is a process of this machine and
   * namespace, and a monitor here can watch it.
   */
  boolean reachedThrough(Path containerRoot);

  /** Lets the waiting command exec; fails when nothing took the release within {@code timeout}. */
  void release(Duration timeout) throws IOException;

  /** Removes the gate directory; never throws. */
  @Override
  void close();

  /** Makes the gate of one run; {@code parentDir} is the run's private work directory. */
  @FunctionalInterface
  interface Factory {
    Gate create(Path parentDir) throws IOException;
  }
}
