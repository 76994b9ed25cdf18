package io.minify.probe.http;

import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.LimitReached;
import io.minify.probe.ProbeResult;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@link HttpProber} on Netty. The response body is streamed through SHA-256 and never kept.
 *
 * <p>The parts: {@link ProtocolNegotiation} picks each attempt's protocol for "auto";
 * {@link ConnectionPool} keeps connections and what each target was found to speak; an
 * attempt is one exchange, {@link Http1Exchange} (plain or TLS), {@link H2cUpgradeExchange}
 * (the one request that offers h2c to a plain target that has answered) or
 * {@link Http2Exchange} (every later request to a target that switched). TLS stays HTTP/1.1.
 * None of this shows in the results: the same bytes are hashed whatever the version.
 *
 * <p>Safe to call from several threads at once: each request has its own handler state, an
 * idle connection is handed to one request at a time, what a target speaks is learnt under
 * the pool's rules, and an HTTP/2 connection carries a stream per request. A thread
 * interrupted in a request (a run of the probes being stopped) gets a failed result at once,
 * without further attempts.
 */
public final class NettyHttpProber implements HttpProber {

  private final Connector connector;
  private final ConnectionPool pool = new ConnectionPool();
  private final Http1Exchange http1;
  private final H2cUpgradeExchange h2cUpgrade;
  private final Http2Exchange http2;

  /** A prober of ports published on 127.0.0.1. */
  public NettyHttpProber() {
    this("127.0.0.1");
  }

  /** A prober of ports published on {@code host}, the engine's host as this process reaches it. */
  public NettyHttpProber(String host) {
    this(host, MAX_BODY_BYTES);
  }

  /** @param maxBodyBytes the most body bytes a request reads (tests use less than {@link #MAX_BODY_BYTES}) */
  NettyHttpProber(String host, long maxBodyBytes) {
    this.connector = new Connector(host);
    this.http1 = new Http1Exchange(connector, maxBodyBytes);
    this.h2cUpgrade = new H2cUpgradeExchange(http1);
    this.http2 = new Http2Exchange(connector, maxBodyBytes);
  }

  @Override
  public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
    return fetch(probe, hostPort, retry, 0).result();
  }

  @Override
  public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
    if (retry.maxAttempts() < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + retry.maxAttempts());
    }
    ProtocolNegotiation negotiation = ProtocolNegotiation.start(probe.protocol());
    long start = System.nanoTime();
    String lastError = null;
    LimitReached lastLimit = null;
    int attempts = 0;
    while (attempts < retry.maxAttempts()) {
      attempts++;
      Attempt attempt = attemptOnce(probe, hostPort, negotiation.tls(), retry.requestTimeout(), maxBodyBytes);
      String scheme = negotiation.next().label();
      Attempt.Response response = attempt.response();
      ProtocolNegotiation.Step step;
      if (response != null) {
        step = negotiation.afterResponse(response.status(), response.bodyPrefix());
        if (step.verdict() == ProtocolNegotiation.Verdict.ACCEPT) {
          ProbeResult result = new ProbeResult(probe, negotiation.next(), response.status(), response.bodyBytes(),
              response.sha256(), Duration.ofNanos(response.nanos()), attempts, null);
          byte[] kept = response.bodyPrefix();
          return new HttpFetch(result, response.contentType(), response.location(),
              Arrays.copyOf(kept, Math.min(kept.length, Math.max(0, maxBodyBytes))));
        }
        lastError = scheme + ": the server asked for HTTPS (status " + response.status() + ")";
        lastLimit = null;
      } else {
        lastError = scheme + ": " + attempt.error();
        lastLimit = attempt.limit();
        step = negotiation.afterFailure(attempt.evidence());
        if (lastLimit != null && lastLimit.kind() == LimitReached.Kind.BODY_TOO_BIG) {
          break; // the app answered, with more than is ever read: it would again
        }
      }
      negotiation = step.then();
      if (step.verdict() == ProtocolNegotiation.Verdict.RETRY_AT_ONCE) {
        continue; // the app is up and has shown its protocol: no need to wait
      }
      if (attempts < retry.maxAttempts() && !pause(retry.waitBetween())) {
        lastError = "interrupted while waiting to retry (last: " + lastError + ")";
        break;
      }
    }
    return new HttpFetch(new ProbeResult(probe, null, -1, 0, null, Duration.ofNanos(System.nanoTime() - start),
        attempts, "no complete response from " + connector.host() + ":" + hostPort + " after " + attempts + " attempt"
            + (attempts == 1 ? "" : "s") + " (last: " + lastError + ")", lastLimit), "", "", new byte[0]);
  }

  /** One attempt, by the exchange the target's known state calls for. */
  private Attempt attemptOnce(HttpProbe probe, int hostPort, boolean tls, Duration timeout, int keepBytes) {
    ConnectionPool.Target target = pool.target(hostPort, tls);
    if (!tls && target.h2c() == ConnectionPool.H2c.YES) {
      return http2.send(target, probe, hostPort, timeout, keepBytes);
    }
    if (!tls && H2cUpgradeExchange.offers(target, probe)) {
      return h2cUpgrade.send(target, probe, hostPort, timeout, keepBytes);
    }
    return http1.send(target, probe, hostPort, tls, timeout, keepBytes, false).attempt();
  }

  private static boolean pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
    connector.close();
  }
}
