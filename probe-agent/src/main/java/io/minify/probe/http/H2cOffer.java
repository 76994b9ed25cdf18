package io.minify.probe.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http2.Http2ClientUpgradeCodec;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code Upgrade: h2c} offer one HTTP/1.1 request carries: the handlers that make it and
 * watch the answer. A server that switches answers on HTTP/2 stream 1, and the connection
 * then carries only HTTP/2 frames; one that ignores the offer answers in HTTP/1.1 as usual.
 */
final class H2cOffer {

  /** Limit for the aggregated 101 answer to an upgrade offer (headers only in practice). */
  private static final int UPGRADE_RESPONSE_LIMIT = 64 * 1024;

  // Set on the event loop, read by the probing thread once the answer is in.
  private final AtomicBoolean upgraded = new AtomicBoolean();

  /** Whether the server switched: the connection is now an HTTP/2 connection. */
  boolean upgraded() {
    return upgraded.get();
  }

  /** Puts the upgrade between the HTTP codec and the response collector of {@code channel}. */
  void install(Channel channel, HttpClientCodec http, AttemptHandler handler) {
    // Stream 1 carries the answer to the request that offered the upgrade.
    Http2MultiplexHandler multiplex = new Http2MultiplexHandler(Http2Pipeline.refusePushes(),
        Http2Pipeline.answerStream(handler));
    channel.pipeline().addBefore(Http1Pipeline.RESPONSE, "upgrade", new HttpClientUpgradeHandler(http,
        new Http2ClientUpgradeCodec((Http2ConnectionHandler) Http2Pipeline.frameCodec(), multiplex),
        UPGRADE_RESPONSE_LIMIT));
    channel.pipeline().addBefore(Http1Pipeline.RESPONSE, "upgrade-watch", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_SUCCESSFUL) {
          upgraded.set(true);
          // From now on the connection only carries HTTP/2 frames, for the streams.
          ctx.pipeline().remove(Http1Pipeline.RAW);
          ctx.pipeline().replace(Http1Pipeline.RESPONSE, "sink", new Http2Pipeline.FrameSink());
          ctx.pipeline().remove(this);
        } else if (event == HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_REJECTED) {
          ctx.pipeline().remove(this); // plain HTTP/1.1 goes on, the connection can be kept
        }
        ctx.fireUserEventTriggered(event);
      }
    });
  }
}
