package io.minify.sensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A running watch over one mount (a container's root filesystem). Created armed: every
 * open on that mount after the factory returns is recorded. {@link #stop()} drains what is
 * still queued and returns the log; {@link #close()} releases the kernel resources and is
 * safe to call more than once, also after a failed {@code stop()}.
 */
public interface AccessMonitor extends AutoCloseable {

  /**
   * Stops watching and returns everything seen.
   *
   * @throws MonitorOverflowException when the kernel dropped events: the log would be
   *     incomplete, and an incomplete log silently breaks the slim image
   */
  AccessLog stop() throws IOException;

  @Override
  void close();

  /**
   * Arms a monitor on the root of a running container ({@code /proc/PID/root} on the host).
   * {@code FanotifyMonitor::watch} is the real one.
   */
  @FunctionalInterface
  interface Factory {
    AccessMonitor watch(Path containerRoot) throws IOException;
  }
}
