package io.minify.probe.http;

import io.minify.probe.LimitReached;

/**
 * The outcome of one connection: a complete response, or why there was none plus what the
 * failure says about the peer's protocol (used by "auto") and which limit ended it, if one did.
 */
record Attempt(Response response, String error, Evidence evidence, LimitReached limit) {

  /**
   * A complete response; {@code bodyPrefix} is the first bytes of the body (for sniffing, or
   * the page itself when the crawler asked for it); {@code location} the Location header
   * ("" when absent), which the crawler follows on a redirect.
   */
  record Response(int status, long bodyBytes, String sha256, byte[] bodyPrefix, String contentType, String location,
      long nanos) {}

  /** What a failed attempt tells about the protocol the peer speaks. */
  enum Evidence {
    /** Nothing: refused, timed out, reset after some bytes... */
    NONE,
    /** Connected, then closed before sending one byte: not ready yet, or a TLS server
     *  dropping plain HTTP (OpenSSL-based servers do that), or an HTTP server dropping TLS. */
    SILENT_CLOSE,
    /** A plain attempt received a TLS record (a TLS alert or handshake). */
    PEER_SPEAKS_TLS,
    /** A TLS attempt received bytes that are not a TLS record (e.g. an HTTP 400). */
    PEER_SPEAKS_PLAIN
  }

  static Attempt answered(Response response) {
    return new Attempt(response, null, Evidence.NONE, null);
  }

  static Attempt failed(String error, Evidence evidence) {
    return new Attempt(null, error, evidence, null);
  }

  /** Ended by a limit: the peer answered something, so nothing is learnt about its protocol. */
  static Attempt limited(LimitReached limit) {
    return new Attempt(null, limit.describe(), Evidence.NONE, limit);
  }
}
