package io.minify.probe;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Which of a request's limits ended it, and how far the answer had come by then. A slow
 * route, a body too big to read and an endless stream all end without a complete response;
 * what the prober saw before it gave up is what tells them apart, and what the user needs to
 * hear (raise the time limit, or not).
 *
 * @param kind         which limit
 * @param status       the response's status, -1 when its headers never came
 * @param bodyBytes    body bytes received by then
 * @param timeLimit    the request's time limit (what {@link Kind#NO_HEADERS} and
 *                     {@link Kind#BODY_UNFINISHED} ran into)
 * @param maxBodyBytes the most body bytes a request reads (what {@link Kind#BODY_TOO_BIG} ran into)
 */
public record LimitReached(Kind kind, int status, long bodyBytes, Duration timeLimit, long maxBodyBytes) {

  /** The limits a request can run into. */
  public enum Kind {
    /** The time limit passed before the response's status and headers were in: a slow route. */
    NO_HEADERS,
    /** The headers came, the body had not ended when the time limit passed: an endless stream, or a slow body. */
    BODY_UNFINISHED,
    /** The body went on past the most the prober reads. */
    BODY_TOO_BIG
  }

  /** The time limit passed before the response headers were in. */
  public static LimitReached noHeaders(Duration timeLimit, long maxBodyBytes) {
    return new LimitReached(Kind.NO_HEADERS, -1, 0, timeLimit, maxBodyBytes);
  }

  /** The time limit passed after status {@code status} and {@code bodyBytes} of its body. */
  public static LimitReached bodyUnfinished(int status, long bodyBytes, Duration timeLimit, long maxBodyBytes) {
    return new LimitReached(Kind.BODY_UNFINISHED, status, bodyBytes, timeLimit, maxBodyBytes);
  }

  /** The body of a status {@code status} response went past {@code maxBodyBytes}. */
  public static LimitReached bodyTooBig(int status, long bodyBytes, Duration timeLimit, long maxBodyBytes) {
    return new LimitReached(Kind.BODY_TOO_BIG, status, bodyBytes, timeLimit, maxBodyBytes);
  }

  /**
   * What happened, in one line: "no response headers within 5 s", "status 200 and 4096 bytes of
   * body, still streaming after 5 s", "status 200 and the body passed 1024 MiB, the most a probe reads".
   */
  public String describe() {
    return switch (kind) {
      case NO_HEADERS -> "no response headers within " + seconds(timeLimit);
      case BODY_UNFINISHED -> bodyBytes == 0
          ? "status " + status + " but no byte of body within " + seconds(timeLimit)
          : "status " + status + " and " + bodyBytes + " bytes of body, still streaming after " + seconds(timeLimit);
      case BODY_TOO_BIG -> "status " + status + " and the body passed " + mebibytes(maxBodyBytes)
          + ", the most a probe reads";
    };
  }

  /** "5 s", "0.3 s": the option is given in seconds, tests use fractions. */
  public static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  /** "1024 MiB", or bytes when the limit is not a whole number of MiB (tests use small ones). */
  static String mebibytes(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
