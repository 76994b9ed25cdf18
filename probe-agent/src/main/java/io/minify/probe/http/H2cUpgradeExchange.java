package io.minify.probe.http;

import io.minify.probe.HttpProbe;
import java.time.Duration;

/**
 * An HTTP/1.1 request that offers {@code Upgrade: h2c} to a plain-HTTP target, once per
 * target: a server that switches answers on HTTP/2 and later requests are streams on that
 * connection ({@link Http2Exchange}); one that ignores the offer stays on HTTP/1.1.
 *
 * <p>The offer is only made once the target has answered HTTP/1.1, so that a connection
 * dropped right after the offer is the offer's fault, not an app still starting; and by one
 * request at a time.
 */
final class H2cUpgradeExchange {

  private final Http1Exchange http1;

  H2cUpgradeExchange(Http1Exchange http1) {
    this.http1 = http1;
  }

  /**
   * Whether {@code probe}, sent now, makes the offer to the plain-HTTP {@code target}; when
   * true, this request holds the right to offer and must be sent by {@link #send}, which
   * gives it back.
   */
  static boolean offers(ConnectionPool.Target target, HttpProbe probe) {
    return target.h2c() == ConnectionPool.H2c.UNTRIED && target.answered() && canCarry(probe)
        && target.claimOffer();
  }

  /** An Upgrade header can only ride on a request without a body, and not on the probe's own. */
  static boolean canCarry(HttpProbe probe) {
    if (!probe.body().isEmpty() || !(probe.method().equals("GET") || probe.method().equals("HEAD"))) {
      return false;
    }
    return probe.headers().keySet().stream().noneMatch(name -> name.equalsIgnoreCase("connection")
        || name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("http2-settings"));
  }

  /** The offering request; {@link #offers} must have said yes. */
  Attempt send(ConnectionPool.Target target, HttpProbe probe, int hostPort, Duration timeout, int keepBytes) {
    try {
      ExchangeOutcome outcome = http1.send(target, probe, hostPort, false, timeout, keepBytes, true);
      if (outcome.attempt().response() == null) {
        // Some servers drop or stall requests that carry an Upgrade header: never offer it to
        // this target again, and send the request plainly at once, without counting.
        target.learnt(ConnectionPool.H2c.NO);
        outcome = http1.sendOnNewConnection(target, probe, hostPort, false, timeout, keepBytes, false);
      }
      return outcome.attempt();
    } finally {
      target.releaseOffer();
    }
  }
}
