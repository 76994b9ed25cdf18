package io.minify.probe;

import java.time.Duration;

/**
 * Sends probe requests to a target reachable on 127.0.0.1. Implementations own their I/O
 * resources; close them when done.
 */
public interface HttpProber extends AutoCloseable {

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

  /** How long and how often to retry a request that got no complete response. */
  record RetryPolicy(int maxAttempts, Duration waitBetween, Duration requestTimeout) {
    public static RetryPolicy defaults() {
      return new RetryPolicy(30, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
  }
}
