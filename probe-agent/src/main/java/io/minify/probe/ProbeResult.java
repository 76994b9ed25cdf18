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
 */
public record ProbeResult(
    HttpProbe probe,
    HttpProtocol protocol,
    int status,
    long bodyBytes,
    String bodySha256,
    Duration elapsed,
    int attempts,
    String error) {

  public boolean answered() {
    return status > 0;
  }
}
