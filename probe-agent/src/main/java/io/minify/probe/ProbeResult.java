package io.minify.probe;

import java.time.Duration;

/**
 * The outcome of one probe request.
 *
 * @param probe      what was asked
 * @param protocol   the protocol that answered ({@link HttpProtocol#HTTP} or {@link HttpProtocol#HTTPS},
 *                   never {@link HttpProtocol#AUTO}); null when nothing answered
 * @param status     HTTP status, or -1 when no response was received
 * @param bodyBytes  length of the response body
 * @param bodySha256 hex SHA-256 of the response body (null when no response)
 * @param elapsed    time of the successful attempt (or of all attempts when it failed)
 * @param attempts   number of attempts made
 * @param error      why no response was received, null on success
 * @param limit      which limit of the request ended its last attempt (a slow route, a body
 *                   too big, an endless stream), null when none did: the attempt got an
 *                   answer, or failed otherwise (refused, reset, closed)
 */
public record ProbeResult(
    HttpProbe probe,
    HttpProtocol protocol,
    int status,
    long bodyBytes,
    String bodySha256,
    Duration elapsed,
    int attempts,
    String error,
    LimitReached limit) {

  /** A result whose last attempt ran into no limit: answered, or failed on the connection. */
  public ProbeResult(HttpProbe probe, HttpProtocol protocol, int status, long bodyBytes, String bodySha256,
      Duration elapsed, int attempts, String error) {
    this(probe, protocol, status, bodyBytes, bodySha256, elapsed, attempts, error, null);
  }

  public boolean answered() {
    return status > 0;
  }
}
