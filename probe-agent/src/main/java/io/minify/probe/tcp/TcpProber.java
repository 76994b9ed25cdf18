package io.minify.probe.tcp;

import java.time.Duration;

/**
 * Sends a {@link TcpProbe} to a port published on 127.0.0.1. {@link SocketTcpProber} is the
 * real one; pipeline tests answer from memory instead.
 */
public interface TcpProber {

  /**
   * @param attempts how many connections to try before giving up
   * @param wait     pause between attempts
   * @param timeout  how long one attempt may wait for the expected bytes
   */
  TcpProbeResult execute(TcpProbe probe, int hostPort, int attempts, Duration wait, Duration timeout);
}
