package io.minify.verify;

import java.util.Locale;

/**
 * What of an answer the slim image had to reproduce, from strictest to loosest: what the
 * original kept the same across its own answers to the request (two in the watched run, a
 * third from a second run when a difference is confirmed) is what the slim image must keep.
 */
public enum ComparedOn {
  /** The same body (and status): the same bytes, or a JSON document whose objects list their members in another order. */
  BODY,
  /** The same status, content type and {@linkplain io.minify.run.HttpAnswer#shape() shape}. */
  SHAPE,
  /** The same status and content type. */
  TYPE,
  /** The same status (for TCP: connected and the expected bytes; for exec: the exit code). */
  STATUS;

  /** "body", "shape", "type", "status": the report's word. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The looser of the two. */
  ComparedOn atMost(ComparedOn limit) {
    return ordinal() >= limit.ordinal() ? this : limit;
  }
}
