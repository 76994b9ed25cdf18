package io.minify.probe.tcp;

import java.time.Duration;

/**
 * The outcome of a TCP probe.
 *
 * @param probe     what was asked
 * @param connected whether a connection held (the engine's port proxy accepts and drops
 *                  connections while nothing listens: that does not count)
 * @param matched   whether the expected bytes arrived (true when nothing was expected)
 * @param received  bytes read
 * @param elapsed   time of the last attempt
 * @param attempts  attempts made
 * @param error     why it failed, null when it connected and matched
 */
public record TcpProbeResult(TcpProbe probe, boolean connected, boolean matched, long received, Duration elapsed,
    int attempts, String error) {

  public boolean ok() {
    return connected && matched;
  }
}
