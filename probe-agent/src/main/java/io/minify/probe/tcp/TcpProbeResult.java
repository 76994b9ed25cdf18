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
 * @param head      the first bytes received (at most {@link #HEAD_BYTES}): what the peer speaks
 */
public record TcpProbeResult(TcpProbe probe, boolean connected, boolean matched, long received, Duration elapsed,
    int attempts, String error, byte[] head) {

  public static final int HEAD_BYTES = 80;

  public TcpProbeResult {
    head = head.clone();
  }

  @Override
  public byte[] head() {
    return head.clone();
  }

  /** Whether the first bytes are a TLS record (an alert or a handshake): the peer wants TLS. */
  public boolean headIsTls() {
    return head.length >= 2 && (head[0] == 0x15 || head[0] == 0x16) && head[1] == 0x03;
  }

  public boolean ok() {
    return connected && matched;
  }
}
