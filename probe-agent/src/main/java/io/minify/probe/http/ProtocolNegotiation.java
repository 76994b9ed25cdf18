package io.minify.probe.http;

import io.minify.probe.HttpProtocol;
import java.nio.charset.StandardCharsets;

/**
 * Which protocol a probe's next attempt uses, and what each attempt's outcome changes: pure
 * logic, no sockets, one immutable state per attempt.
 *
 * <p>A probe in {@link HttpProtocol#HTTP} or {@link HttpProtocol#HTTPS} is settled from the
 * start. {@link HttpProtocol#AUTO} starts with plain HTTP and settles on clear evidence: a
 * TLS record in reply to plain HTTP, a plain-text reply to a TLS hello, or the "plain HTTP
 * sent to an HTTPS port" 400 pages of Go and nginx; each switches at once, without the wait
 * between attempts (the app is up). A connection closed without a single byte is ambiguous:
 * the engine's userland proxy does that while the app is not listening yet, and many TLS
 * servers (OpenSSL-based: Node, Python) do it to plain HTTP. Until the protocol is settled,
 * such a failure alternates the protocol of the next attempt, after the usual wait, so
 * either kind of server is reached within one extra attempt once it is up.
 *
 * @param next    the protocol of the next attempt: {@link HttpProtocol#HTTP} or
 *                {@link HttpProtocol#HTTPS}
 * @param settled whether {@code next} is known for good (asked for, or shown by the server)
 */
record ProtocolNegotiation(HttpProtocol next, boolean settled) {

  ProtocolNegotiation {
    if (next == HttpProtocol.AUTO) {
      throw new IllegalArgumentException("an attempt is made in http or https, not auto");
    }
  }

  /** What to do after an attempt. */
  enum Verdict {
    /** The response is the probe's answer. */
    ACCEPT,
    /** Try again in {@link Step#then()}'s protocol now: the server has shown what it speaks. */
    RETRY_AT_ONCE,
    /** Try again after the retry policy's wait (if attempts are left). */
    RETRY_AFTER_WAIT
  }

  /** The verdict on one attempt and the negotiation for the next. */
  record Step(Verdict verdict, ProtocolNegotiation then) {}

  static ProtocolNegotiation start(HttpProtocol asked) {
    return switch (asked) {
      case HTTP, HTTPS -> new ProtocolNegotiation(asked, true);
      case AUTO -> new ProtocolNegotiation(HttpProtocol.HTTP, false);
    };
  }

  boolean tls() {
    return next == HttpProtocol.HTTPS;
  }

  /**
   * After a complete response: accepted, unless an unsettled plain attempt got the page a
   * TLS server sends to plain HTTP.
   *
   * @param bodyPrefix the first bytes of the body
   */
  Step afterResponse(int status, byte[] bodyPrefix) {
    if (!settled && !tls() && rejectsPlainHttp(status, bodyPrefix)) {
      return new Step(Verdict.RETRY_AT_ONCE, new ProtocolNegotiation(HttpProtocol.HTTPS, true));
    }
    return new Step(Verdict.ACCEPT, this);
  }

  /** After an attempt without a complete response, given what its failure says about the peer. */
  Step afterFailure(Attempt.Evidence evidence) {
    if (settled) {
      return new Step(Verdict.RETRY_AFTER_WAIT, this);
    }
    return switch (evidence) {
      case PEER_SPEAKS_TLS -> new Step(Verdict.RETRY_AT_ONCE, new ProtocolNegotiation(HttpProtocol.HTTPS, true));
      case PEER_SPEAKS_PLAIN -> new Step(Verdict.RETRY_AT_ONCE, new ProtocolNegotiation(HttpProtocol.HTTP, true));
      case SILENT_CLOSE -> new Step(Verdict.RETRY_AFTER_WAIT,
          new ProtocolNegotiation(tls() ? HttpProtocol.HTTP : HttpProtocol.HTTPS, false));
      case NONE -> new Step(Verdict.RETRY_AFTER_WAIT, this);
    };
  }

  /** The 400 pages Go's net/http and nginx send when plain HTTP reaches a TLS port. */
  static boolean rejectsPlainHttp(int status, byte[] bodyPrefix) {
    if (status != 400) {
      return false;
    }
    // Only sniffed for two ASCII sentences; ISO-8859-1 maps every byte, so nothing can fail.
    String body = new String(bodyPrefix, StandardCharsets.ISO_8859_1);
    return body.contains("HTTP request to an HTTPS server")
        || body.contains("plain HTTP request was sent to HTTPS port");
  }
}
