package io.minify.probe;

import java.time.Duration;

/**
 * Sends probe requests to a target reachable on 127.0.0.1. Implementations own their I/O
 * resources; close them when done.
 */
public interface HttpProber extends AutoCloseable {

  /**
   * The most body bytes one request reads. Bodies are hashed as they stream and never held,
   * so this bounds time, not memory: without it a body of gigabytes (a disk image served by
   * mistake) would be read until the time limit and reported like a slow route. A longer
   * body fails the request ({@link LimitReached.Kind#BODY_TOO_BIG}), at once and not retried.
   */
  long MAX_BODY_BYTES = 1L << 30;

  /**
   * Sends one request to {@code 127.0.0.1:hostPort}, retrying on connection failures,
   * resets and incomplete responses (a port published by the engine may accept before the
   * app listens) until a complete response arrives or {@code retry} runs out.
   * Never throws for network failures: they are reported in the result.
   */
  ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry);

  /**
   * Like {@link #execute}, but also keeps the first {@code maxBodyBytes} of the body and the
   * Content-Type, for the crawler and for fetching an API spec from the app.
   */
  HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes);

  @Override
  void close();

  /**
   * How long and how often to retry a request that got no complete response.
   *
   * @param requestTimeout how long one attempt may take until its response is complete
   */
  record RetryPolicy(int maxAttempts, Duration waitBetween, Duration requestTimeout) {
    public static RetryPolicy defaults() {
      return new RetryPolicy(30, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
  }
}
