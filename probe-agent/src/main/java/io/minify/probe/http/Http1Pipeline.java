package io.minify.probe.http;

/**
 * The names of the handlers in an HTTP/1.1 connection's pipeline, in order: the exchange
 * lays a new connection out and swaps a kept-alive one's per-request handlers by them, and
 * the h2c upgrade rearranges them when the server switches.
 */
final class Http1Pipeline {

  /** First: counts and sniffs the raw bytes ({@link AttemptHandler#rawSniffer()}). */
  static final String RAW = "raw";
  /** The TLS handler, on an HTTPS connection only. */
  static final String TLS = "tls";
  /** The HTTP/1.1 client codec. */
  static final String CODEC = "http";
  /** Last: the request's {@link AttemptHandler#responseCollector()}. */
  static final String RESPONSE = "response";

  private Http1Pipeline() {}
}
