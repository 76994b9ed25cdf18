package io.minify.probe.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * The handlers of a client HTTP/2 connection, whether it was upgraded from HTTP/1.1 (h2c) or
 * opened with prior knowledge: the same frame codec, the same stream handlers.
 */
final class Http2Pipeline {

  private Http2Pipeline() {}

  static Http2FrameCodec frameCodec() {
    // Server push is of no use to a probe.
    return Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
        .build();
  }

  /** Handler for streams the server opens (pushes, which are disabled): refused. */
  static ChannelHandler refusePushes() {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel stream) {
        stream.close();
      }
    };
  }

  /** A stream that carries one request's answer, as HTTP objects, to {@code handler}. */
  static ChannelHandler answerStream(AttemptHandler handler) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel stream) {
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), handler.responseCollector());
      }
    };
  }

  /** End of an HTTP/2 connection's pipeline: connection-level frames are handled by the codec already. */
  static final class FrameSink extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the streams on it fail with their own errors
    }
  }
}
