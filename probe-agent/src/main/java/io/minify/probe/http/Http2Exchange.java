package io.minify.probe.http;

import io.minify.probe.HttpProbe;
import io.minify.probe.LimitReached;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A request on the HTTP/2 connection of a target that switched to h2c: one connection, one
 * stream per request, so concurrent requests share it. When that connection is gone (GOAWAY,
 * closed while idle) a new one is opened with prior knowledge, at once and not counted.
 */
final class Http2Exchange {

  private final Connector connector;
  private final long maxBodyBytes;

  /** @param maxBodyBytes the most body bytes a request reads ({@link io.minify.probe.HttpProber#MAX_BODY_BYTES}) */
  Http2Exchange(Connector connector, long maxBodyBytes) {
    this.connector = connector;
    this.maxBodyBytes = maxBodyBytes;
  }

  Attempt send(ConnectionPool.Target target, HttpProbe probe, int hostPort, Duration timeout, int keepBytes) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Channel parent = target.liveH2();
    if (parent != null) {
      ExchangeOutcome reused = onStream(parent, probe, deadline, timeout, keepBytes);
      if (!reused.stale()) {
        return reused.attempt();
      }
      // GOAWAY or closed while idle: a new connection, at once and not counted.
      target.dropH2(parent);
      deadline = System.nanoTime() + timeout.toNanos();
    }
    ChannelFuture connect = connector.connect(hostPort, deadline, ch -> {
      ch.pipeline().addLast("h2", Http2Pipeline.frameCodec());
      ch.pipeline().addLast("multiplex", new Http2MultiplexHandler(Http2Pipeline.refusePushes()));
      ch.pipeline().addLast("sink", new Http2Pipeline.FrameSink());
    });
    Channel fresh = connect.channel();
    fresh.closeFuture().addListener(f -> target.forget(fresh));
    boolean connected;
    try {
      // interruptible, as every wait of a request: a prober's thread told to stop ends at once
      connected = connect.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fresh.close();
      return Attempt.failed("interrupted", Attempt.Evidence.NONE);
    }
    if (!connected || !connect.isSuccess()) {
      fresh.close();
      return Attempt.failed(connect.isDone() ? Connector.connectError(connect.cause())
          : "no connection within " + LimitReached.seconds(timeout), Attempt.Evidence.NONE);
    }
    ExchangeOutcome outcome = onStream(fresh, probe, deadline, timeout, keepBytes);
    if (outcome.attempt().response() != null) {
      target.useH2(fresh);
    } else {
      fresh.close();
      if (outcome.stale()) {
        // A new connection that says nothing to HTTP/2: not ready yet, or restarted without
        // h2c. Start over with HTTP/1.1, which is what the retry and protocol logic expects.
        target.backToHttp1();
      }
    }
    return outcome.attempt();
  }

  /** One stream on an HTTP/2 connection; stale when the stream ended without a byte of answer. */
  private ExchangeOutcome onStream(Channel parent, HttpProbe probe, long deadline, Duration timeout,
      int keepBytes) {
    AttemptHandler handler = new AttemptHandler(false, keepBytes, maxBodyBytes, timeout);
    FullHttpRequest request = NettyRequest.from(probe);
    Future<Http2StreamChannel> open = new Http2StreamChannelBootstrap(parent)
        .handler(Http2Pipeline.answerStream(handler))
        .open();
    open.addListener((Future<Http2StreamChannel> f) -> {
      if (f.isSuccess()) {
        handler.send(f.getNow(), request);
      } else {
        request.release();
        handler.fail(null, "cannot open an HTTP/2 stream: " + AttemptHandler.describe(f.cause()),
            Attempt.Evidence.NONE);
      }
    });
    Attempt attempt = handler.await(deadline);
    Http2StreamChannel stream = open.getNow();
    if (stream != null) {
      stream.close(); // a no-op after a complete answer; resets the stream otherwise
    }
    // a stream still silent at the time limit is a slow route, not a dead connection
    return new ExchangeOutcome(attempt, attempt.response() == null && attempt.limit() == null
        && handler.receivedNothing());
  }
}
