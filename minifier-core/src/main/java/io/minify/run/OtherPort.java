package io.minify.run;

/**
 * An exposed port that speaks something other than HTTP (a broker's AMQP port beside its
 * management API, a database's port): found while waiting for the app, left out of HTTP
 * probing, kept published, and required to accept connections on the slim image too.
 *
 * @param port     the container port
 * @param evidence what it did with an HTTP request ("answered \"AMQP\\x00\\x00\\x09\\x01\"",
 *                 "closed the connection without a byte")
 */
public record OtherPort(int port, String evidence) {

  /** "5672 (answered ...)". */
  public String describe() {
    return port + " (" + evidence + ")";
  }
}
