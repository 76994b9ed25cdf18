package io.minify.probe.http;

import io.minify.probe.HttpProbe;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * One HTTP/1.1 request, plain or over TLS, on a kept-alive connection of the target or on a
 * new one. A connection the server keeps open after the answer goes back to the target's
 * idle pool; one it closed while idle is replaced at once without counting an attempt.
 */
final class Http1Exchange {

  private final Connector connector;
  private final long maxBodyBytes;

  /** @param maxBodyBytes the most body bytes a request reads ({@link io.minify.probe.HttpProber#MAX_BODY_BYTES}) */
  Http1Exchange(Connector connector, long maxBodyBytes) {
    this.connector = connector;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The request on the target's most recently used idle connection, or on a new connection
   * when there is none or the idle one turned out stale (the server closed it as we sent on
   * it: its keep-alive timeout; the app is fine, so the new connection follows at once).
   *
   * @param offerH2c the request carries {@code Upgrade: h2c} ({@link H2cOffer})
   */
  ExchangeOutcome send(ConnectionPool.Target target, HttpProbe probe, int hostPort, boolean tls, Duration timeout,
      int keepBytes, boolean offerH2c) {
    Channel idle = target.takeIdle();
    ExchangeOutcome outcome = idle == null ? null
        : once(target, idle, probe, hostPort, tls, timeout, keepBytes, offerH2c);
    if (outcome == null || outcome.stale()) {
      outcome = sendOnNewConnection(target, probe, hostPort, tls, timeout, keepBytes, offerH2c);
    }
    return outcome;
  }

  /** The request on a new connection, whatever the pool holds. */
  ExchangeOutcome sendOnNewConnection(ConnectionPool.Target target, HttpProbe probe, int hostPort, boolean tls,
      Duration timeout, int keepBytes, boolean offerH2c) {
    return once(target, null, probe, hostPort, tls, timeout, keepBytes, offerH2c);
  }

  /**
   * One request on {@code existing} (an idle kept-alive connection) or, when null, on a new
   * connection. With {@code offerH2c}, a server that switches makes the connection the
   * target's HTTP/2 connection.
   */
  private ExchangeOutcome once(ConnectionPool.Target target, Channel existing, HttpProbe probe, int hostPort,
      boolean tls, Duration timeout, int keepBytes, boolean offerH2c) {
    long deadline = System.nanoTime() + timeout.toNanos();
    AttemptHandler handler = new AttemptHandler(tls, keepBytes, maxBodyBytes, timeout);
    FullHttpRequest request = NettyRequest.from(probe);
    boolean reusable = HttpUtil.isKeepAlive(request);
    H2cOffer offer = new H2cOffer();
    Channel channel;
    if (existing != null) {
      channel = existing;
      try {
        // Each request has its own handler state; swap it in before anything is sent.
        channel.pipeline().replace(Http1Pipeline.RAW, Http1Pipeline.RAW, handler.rawSniffer());
        channel.pipeline().replace(Http1Pipeline.RESPONSE, Http1Pipeline.RESPONSE, handler.responseCollector());
        if (offerH2c) {
          offer.install(channel, (HttpClientCodec) channel.pipeline().get(Http1Pipeline.CODEC), handler);
        }
      } catch (NoSuchElementException | NullPointerException | ClassCastException e) {
        // The channel closed meanwhile and its pipeline was taken apart.
        request.release();
        channel.close();
        return new ExchangeOutcome(Attempt.failed("the kept-alive connection was closed", Attempt.Evidence.NONE),
            true);
      }
      handler.send(channel, request);
    } else {
      ChannelFuture connect = connector.connect(hostPort, deadline, ch -> {
        HttpClientCodec http = new HttpClientCodec();
        ch.pipeline().addLast(Http1Pipeline.RAW, handler.rawSniffer());
        if (tls) {
          ch.pipeline().addLast(Http1Pipeline.TLS, connector.tls(ch, hostPort));
        }
        ch.pipeline().addLast(Http1Pipeline.CODEC, http);
        ch.pipeline().addLast(Http1Pipeline.RESPONSE, handler.responseCollector());
        if (offerH2c) {
          offer.install(ch, http, handler);
        }
      });
      channel = connect.channel();
      channel.closeFuture().addListener(f -> target.forget(channel));
      connect.addListener((ChannelFuture f) -> {
        if (f.isSuccess()) {
          handler.send(f.channel(), request);
        } else {
          request.release();
          handler.fail(null, Connector.connectError(f.cause()), Attempt.Evidence.NONE);
        }
      });
    }
    Attempt attempt = handler.await(deadline);
    if (attempt.response() != null) {
      target.markAnswered();
      if (offer.upgraded()) {
        target.learnt(ConnectionPool.H2c.YES);
        target.useH2(channel);
        return new ExchangeOutcome(attempt, false);
      }
      if (offerH2c) {
        target.learnt(ConnectionPool.H2c.NO);
      }
      if (reusable && handler.keepAlive() && channel.isActive()) {
        target.offerIdle(channel);
        return new ExchangeOutcome(attempt, false);
      }
    }
    channel.close();
    // stale: the server closed the kept connection unasked; one that kept it and stayed silent
    // until the time limit is a slow route, and gets no second full wait at once
    return new ExchangeOutcome(attempt, existing != null && attempt.response() == null && attempt.limit() == null
        && handler.receivedNothing());
  }
}
