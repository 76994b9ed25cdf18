package io.minify.probe.http;

/**
 * One request's outcome on one connection.
 *
 * @param stale a reused connection died before a byte of answer (the server's idle timeout):
 *              the request may go again on a new connection at once, not counted as an attempt
 */
record ExchangeOutcome(Attempt attempt, boolean stale) {}
